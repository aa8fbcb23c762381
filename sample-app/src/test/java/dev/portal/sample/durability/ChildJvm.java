package dev.portal.sample.durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM started from the test JVM with the same {@code java} and class path (the test class path:
 * the sample app, its dependencies and the test classes), its output in a file under
 * {@code target/durability/} so that a failure can be read afterwards.
 */
final class ChildJvm {

    /** Where the children's logs go (surefire runs with the module as working directory). */
    static final Path LOGS = Path.of("target", "durability").toAbsolutePath();

    /** Whether children start with C1 only and the serial collector (tests), or the JVM's defaults (benchmarks). */
    static volatile boolean quickStart = true;

    private ChildJvm() {
    }

    static Process start(String logName, List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (quickStart) {
            // tests: start fast and stay small (several JVMs share two cores); benchmarks keep the defaults
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(logName + ".log");
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    static Path log(String logName) {
        return LOGS.resolve(logName + ".log");
    }

    /** Surefire runs tests from a manifest-only jar; the real test class path is in this property. */
    static String classPath() {
        String test = System.getProperty("surefire.test.class.path");
        return test != null && !test.isBlank() ? test : System.getProperty("java.class.path");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Waits until something accepts connections on the port, or the process died. */
    static void awaitPort(Process process, int port, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue() + " before listening on " + port);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                sleep(50);
            }
        }
        throw new IllegalStateException(what + " did not listen on " + port + " within " + timeout);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
