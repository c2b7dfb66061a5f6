package dev.zbatch.cli;

/** The command line's entry point ({@code ./run.sh} runs it). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Signals signals = new Signals().install();
        int code = Zbatch.execute(args, System.out, System.err, signals);
        signals.exit(code);
    }
}
