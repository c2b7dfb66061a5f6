package dev.zbatch;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ZbatchApplication {

    public static void main(String[] args) {
        dev.zbatch.cli.Main.main(args);
    }
}
