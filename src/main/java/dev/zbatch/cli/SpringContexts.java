package dev.zbatch.cli;

import dev.zbatch.ZbatchApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts the Spring context of one command: the job spec as a config file, flags on top of it. */
final class SpringContexts {

    private SpringContexts() {
    }

    static ConfigurableApplicationContext start(CommandLine commandLine) {
        List<String> args = new ArrayList<>();
        Map<String, Object> defaults = new HashMap<>();
        // only the job spec and zbatch's own defaults: no application.yml picked up from the working folder
        args.add("--spring.config.location=optional:classpath:/");
        Path spec = commandLine.jobSpec();
        if (spec != null) {
            args.add("--spring.config.additional-location=file:" + spec.toAbsolutePath());
            defaults.put("zbatch.job.name", CommandLine.jobNameOf(spec));
        }
        commandLine.properties().forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(ZbatchApplication.class)
                .registerShutdownHook(false)
                .logStartupInfo(false)
                .properties(defaults)
                .run(args.toArray(String[]::new));
    }
}
