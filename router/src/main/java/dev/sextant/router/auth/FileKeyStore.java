package dev.sextant.router.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keys in one JSON file (hashes only), written atomically and re-read when another process changed it, so the
 * admin API of a running server and an operator editing the file agree. For one machine; replicas use Redis.
 */
public final class FileKeyStore implements KeyStore {

    private static final TypeReference<List<ApiKey>> LIST = new TypeReference<>() {
    };

    private final Path file;
    private List<ApiKey> keys = List.of();
    private FileTime loadedVersion;

    public FileKeyStore(Path file) {
        this.file = file;
    }

    @Override
    public synchronized Optional<ApiKey> findByHash(String hash) {
        return current().stream().filter(k -> k.hash().equals(hash)).findFirst();
    }

    @Override
    public synchronized Optional<ApiKey> findById(String id) {
        return current().stream().filter(k -> k.id().equals(id)).findFirst();
    }

    @Override
    public synchronized void add(ApiKey key) {
        List<ApiKey> next = new ArrayList<>(current());
        if (next.stream().anyMatch(k -> k.hash().equals(key.hash()))) {
            throw new IllegalArgumentException("a key with this hash exists already");
        }
        next.add(key);
        write(next);
    }

    @Override
    public synchronized boolean update(ApiKey key) {
        List<ApiKey> next = new ArrayList<>(current());
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).id().equals(key.id())) {
                next.set(i, key);
                write(next);
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized List<ApiKey> list() {
        return current();
    }

    @Override
    public synchronized boolean isEmpty() {
        return current().isEmpty();
    }

    private List<ApiKey> current() {
        try {
            if (!Files.exists(file)) {
                keys = List.of();
                loadedVersion = null;
                return keys;
            }
            FileTime version = Files.getLastModifiedTime(file);
            if (!version.equals(loadedVersion)) {
                keys = List.copyOf(KeyJson.MAPPER.readValue(file.toFile(), LIST));
                loadedVersion = version;
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API keys from " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(List<ApiKey> next) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            KeyJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), next);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            keys = List.copyOf(next);
            loadedVersion = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write API keys to " + file + ": " + e.getMessage(), e);
        }
    }
}
