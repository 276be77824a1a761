package dev.sieve.icap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ICAP listener: one virtual thread per connection, requests served one after another on it
 * (keep-alive, as Squid pools ICAP connections), at most {@code maxConnections} connections at once
 * (one more is answered {@code 503} and closed, so the proxy sees the overload instead of a silent
 * queue). A connection idle longer than the idle timeout is closed; a malformed request is answered
 * with its ICAP status and the connection closed, since its framing can no longer be trusted.
 */
public final class IcapServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IcapServer.class);

  private final ServerSocket socket;
  private final IcapService service;
  private final Semaphore connections;
  private final Duration idleTimeout;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closing;

  private IcapServer(
      ServerSocket socket, IcapService service, int maxConnections, Duration idleTimeout) {
    this.socket = socket;
    this.service = service;
    this.connections = new Semaphore(maxConnections);
    this.idleTimeout = idleTimeout;
    this.acceptor =
        Thread.ofPlatform().name("icap-accept").daemon(false).unstarted(this::acceptLoop);
  }

  /** Binds and starts accepting. Port 0 picks a free port ({@link #port()}). */
  public static IcapServer start(
      String bindHost, int port, IcapService service, int maxConnections, Duration idleTimeout)
      throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 256);
    IcapServer server = new IcapServer(socket, service, maxConnections, idleTimeout);
    server.acceptor.start();
    return server;
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closing) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (!closing) {
          log.warn("accept failed: {}", e.getMessage());
        }
        continue;
      }
      if (!connections.tryAcquire()) {
        workers.execute(() -> refuse(client));
        continue;
      }
      open.add(client);
      workers.execute(
          () -> {
            try {
              serve(client);
            } finally {
              open.remove(client);
              connections.release();
            }
          });
    }
  }

  private static void refuse(Socket client) {
    try (client) {
      client.setSoTimeout(1000);
      IcapService.writeStatus(client.getOutputStream(), 503, "Service Overloaded", true);
    } catch (IOException ignored) {
      // the proxy went away: nothing to tell it
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
      client.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(client.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(client.getOutputStream(), 16 * 1024);
      boolean keep = true;
      while (keep && !closing) {
        Optional<IcapRequest> request;
        try {
          request = IcapParser.readRequest(in);
          if (request.isEmpty()) {
            return;
          }
          keep = service.handle(request.get(), in, out);
        } catch (IcapProtocolException e) {
          if (e.status() != 0) {
            log.info(
                "ICAP {} from {}: {}", e.status(), client.getRemoteSocketAddress(), e.getMessage());
            IcapService.writeStatus(out, e.status(), reasonPhrase(e.status()), true);
          }
          return;
        }
      }
    } catch (SocketTimeoutException idle) {
      // idle keep-alive connection (or a peer that stopped sending mid-message): closed
    } catch (IOException e) {
      log.debug(
          "ICAP connection from {} ended: {}", client.getRemoteSocketAddress(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("ICAP connection from {} failed", client.getRemoteSocketAddress(), e);
    }
  }

  static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 404 -> "ICAP Service Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Request Entity Too Large";
      case 500 -> "Server Error";
      case 503 -> "Service Overloaded";
      case 505 -> "ICAP Version Not Supported";
      default -> "Error";
    };
  }

  /** Stops accepting, closes open connections, waits briefly for their threads. */
  @Override
  public void close() {
    closing = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(
        s -> {
          try {
            s.close();
          } catch (IOException ignored) {
            // closing anyway
          }
        });
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
