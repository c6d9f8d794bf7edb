package dev.tributary.kafka;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.suite.api.SuiteDisplayName;

/**
 * Every test of the three-node cluster ({@link KafkaClusterFixture}) as one test class for failsafe:
 * the cluster rules R1–R3 ({@link KafkaClusterIT}) and the whole contract and processor kits
 * ({@link KafkaClusterTckIT}, {@link KafkaClusterProcessorTckIT}). The module runs its integration
 * tests in two JVMs, and each JVM starts the fixtures its classes use: as one class, the cluster's
 * tests stay in one JVM with one cluster, while the other JVM runs the single-node classes. The pom
 * leaves the three classes out of failsafe's own scan; {@code -Dit.test=KafkaClusterIT} still runs one
 * alone.
 */
@Suite
@SuiteDisplayName("Kafka three-node cluster: R1–R3 and the whole kits")
@SelectClasses({KafkaClusterIT.class, KafkaClusterTckIT.class, KafkaClusterProcessorTckIT.class})
class KafkaClusterSuiteIT {}
