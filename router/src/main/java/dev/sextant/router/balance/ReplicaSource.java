package dev.sextant.router.balance;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Where the pool learns which replicas exist: a fixed list, a DNS name with one address per replica, or both. */
@FunctionalInterface
public interface ReplicaSource {

    /** The replicas' base URLs right now; an empty list means none is known (not "keep the old ones"). */
    List<URI> current();

    static ReplicaSource fixed(List<URI> urls) {
        List<URI> copy = List.copyOf(urls);
        return () -> copy;
    }

    /**
     * Every address {@code host} resolves to, on {@code port}: a Kubernetes headless Service resolves to the ready
     * pods. A failed lookup yields the fixed list only.
     */
    static ReplicaSource dns(String hostAndPort, List<URI> fixed) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("sextant.inference.dns-name must be host:port, got '" + hostAndPort
                    + "'");
        }
        String host = hostAndPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sextant.inference.dns-name has a bad port: '" + hostAndPort + "'");
        }
        List<URI> fixedCopy = List.copyOf(fixed);
        return () -> {
            Set<URI> out = new LinkedHashSet<>(fixedCopy);
            try {
                for (InetAddress address : InetAddress.getAllByName(host)) {
                    String literal = address.getHostAddress();
                    out.add(URI.create("http://" + (literal.contains(":") ? "[" + literal + "]" : literal) + ":"
                            + port + "/"));
                }
            } catch (UnknownHostException e) {
                // No replica resolvable right now (scaled to zero, DNS not yet updated): keep the fixed ones.
            }
            return new ArrayList<>(out);
        };
    }
}
