package dev.zbatch.cli;

import dev.zbatch.job.RunContext;
import dev.zbatch.config.SettingNames;
import dev.zbatch.config.ZbatchProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

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
        return builder(RunContext.class, commandLine).run(arguments(commandLine));
    }

    /**
     * The {@code zbatch.*} properties exactly as {@link #start} would bind them (same job spec, flags and
     * environment), from a context that holds nothing else: no component scan, no auto-configuration, so no
     * database, provider or server is created.
     */
    static ZbatchProperties properties(CommandLine commandLine) {
        try (ConfigurableApplicationContext context = builder(PropertiesOnly.class, commandLine)
                .run(arguments(commandLine))) {
            return context.getBean(ZbatchProperties.class);
        }
    }

    /** Binds the properties and nothing more. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ZbatchProperties.class)
    static class PropertiesOnly {
    }

    private static SpringApplicationBuilder builder(Class<?> source, CommandLine commandLine) {
        SettingNames.checkEnvironment(System.getenv());
        Map<String, Object> defaults = new HashMap<>();
        Path spec = commandLine.jobSpec();
        if (spec != null) defaults.put("zbatch.job.name", CommandLine.jobNameOf(spec));
        return new SpringApplicationBuilder(source)
                .registerShutdownHook(false)
                .logStartupInfo(false)
                .properties(defaults);
    }

    private static String[] arguments(CommandLine commandLine) {
        List<String> args = new ArrayList<>();
        // only the job spec and zbatch's own defaults: no application.yml picked up from the working folder
        args.add("--spring.config.location=optional:classpath:/");
        Path spec = commandLine.jobSpec();
        if (spec != null) args.add("--spring.config.additional-location=file:" + spec.toAbsolutePath());
        commandLine.properties().forEach((name, value) -> {
            if (!name.startsWith(CommandLine.ESTIMATE_OPTIONS)) args.add("--" + name + "=" + value);
        });
        return args.toArray(String[]::new);
    }
}
