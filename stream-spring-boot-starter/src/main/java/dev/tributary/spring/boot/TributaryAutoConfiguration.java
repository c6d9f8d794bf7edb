package dev.tributary.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorListener;
import dev.tributary.spring.boot.internal.CompositeProcessorListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Tributary client and its factories as beans; every one yields to a bean of the same type
 * that the application defines.
 *
 * <ul>
 *   <li>{@link StreamClient}: opened from {@link TributaryProperties} ({@code tributary.uri} is
 *       required) through {@link StreamClients}, so the backend is the jar on the class path; wrapped
 *       by the {@link StreamClientDecorator} beans (metrics, tracing); closed when the context
 *       closes, after every bean that uses it.</li>
 *   <li>{@link TributaryJson}, {@link TributaryPublishers}, {@link TributaryProcessors}: codecs,
 *       publishers and processor builders on that client.</li>
 *   <li>{@link ProcessorLifecycle}: starts the application's {@code Processor} beans and stops them
 *       gracefully.</li>
 * </ul>
 */
@AutoConfiguration
@ConditionalOnClass({StreamClient.class, Processor.class})
@EnableConfigurationProperties(TributaryProperties.class)
public class TributaryAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    StreamClient streamClient(TributaryProperties properties, ObjectProvider<StreamClientDecorator> decorators) {
        StreamClient client = StreamClients.open(properties.toClientConfig());
        try {
            for (StreamClientDecorator d : decorators.orderedStream().toList()) {
                client = d.decorate(client);
            }
            return client;
        } catch (RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    @Bean
    @ConditionalOnMissingBean
    TributaryJson tributaryJson(ObjectProvider<ObjectMapper> mappers) {
        return new TributaryJson(mappers.getIfUnique(() -> new ObjectMapper().findAndRegisterModules()));
    }

    @Bean
    @ConditionalOnMissingBean
    TributaryPublishers tributaryPublishers(StreamClient client, TributaryJson json) {
        return new TributaryPublishers(client, json);
    }

    @Bean
    @ConditionalOnMissingBean
    TributaryProcessors tributaryProcessors(
            StreamClient client,
            TributaryJson json,
            ObjectProvider<ProcessorListener> listeners,
            ObjectProvider<ProcessorHandlerDecorator> handlers) {
        return new TributaryProcessors(
                client,
                json,
                CompositeProcessorListener.of(listeners.orderedStream().toList()),
                handlers.orderedStream().findFirst().orElse(null));
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessorLifecycle tributaryProcessorLifecycle(
            ObjectProvider<Processor> processors, TributaryProperties properties) {
        return new ProcessorLifecycle(
                processors,
                properties.getProcessors().isAutoStartup(),
                properties.getProcessors().getShutdownTimeout());
    }
}
