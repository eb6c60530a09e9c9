package dev.sextant.router.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSourceTest {

    @Test
    void aDnsNameBecomesOneReplicaPerAddressBesideTheFixedOnes() {
        var source = ReplicaSource.dns("localhost:8090", List.of(URI.create("http://gpu-0:8090/")));
        List<URI> replicas = source.current();
        assertThat(replicas.get(0)).isEqualTo(URI.create("http://gpu-0:8090/"));
        assertThat(replicas).contains(URI.create("http://127.0.0.1:8090/"));
        assertThat(replicas).allSatisfy(u -> assertThat(u.getPort()).isEqualTo(8090));
    }

    @Test
    void anUnresolvableNameLeavesTheFixedReplicas() {
        var source = ReplicaSource.dns("no-such-host.invalid:8090", List.of(URI.create("http://a:1/")));
        assertThat(source.current()).containsExactly(URI.create("http://a:1/"));
        assertThat(ReplicaSource.dns("no-such-host.invalid:8090", List.of()).current()).isEmpty();
    }

    @Test
    void aNameWithoutAPortIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> ReplicaSource.dns("inference-headless", List.of()))
                .hasMessageContaining("sextant.inference.dns-name").hasMessageContaining("host:port");
        assertThatThrownBy(() -> ReplicaSource.dns("inference:http", List.of()))
                .hasMessageContaining("bad port");
    }
}
