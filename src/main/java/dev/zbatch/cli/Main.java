package dev.zbatch.cli;

/** Entry point of the command line (placeholder until the CLI lands). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("zbatch: not yet wired");
        System.exit(1);
    }
}
