package dev.zbatch.job;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.ComponentScan;

/**
 * The root of a run's Spring context: this package's configuration and nothing else. zbatch defines its data
 * source, transaction manager and job repository itself, so Spring Boot's auto-configuration, and a scan of
 * every package, would only add to the start-up time.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ComponentScan
public class RunContext {
}
