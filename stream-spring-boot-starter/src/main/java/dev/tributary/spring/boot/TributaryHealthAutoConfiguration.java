package dev.tributary.spring.boot;

import dev.tributary.StreamClient;
import dev.tributary.core.Processor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@link TributaryHealthIndicator} (contributor name {@code tributary}) when Spring Boot's
 * health support (Actuator) is on the class path and {@code management.health.tributary.enabled}
 * is not false.
 */
@AutoConfiguration(after = TributaryAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(StreamClient.class)
@ConditionalOnEnabledHealthIndicator("tributary")
public class TributaryHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tributaryHealthIndicator")
    TributaryHealthIndicator tributaryHealthIndicator(
            StreamClient client, ObjectProvider<Processor> processors, TributaryProperties properties) {
        return new TributaryHealthIndicator(
                client, processors, properties.getHealth().isLag());
    }
}
