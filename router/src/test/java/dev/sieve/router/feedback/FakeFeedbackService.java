package dev.sieve.router.feedback;

import dev.sieve.proto.v1.FeedbackGrpc;
import dev.sieve.proto.v1.FeedbackReport;
import dev.sieve.proto.v1.OverrideSet;
import dev.sieve.proto.v1.ReportVerdictResponse;
import dev.sieve.proto.v1.WatchOverridesRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the annotation app's Feedback service (the real one is built in module {@code
 * annotate/}, in parallel, against the same proto): takes reports idempotently on report_id, or
 * fails with a chosen status; streams override sets to every watcher and can drop the streams.
 */
final class FakeFeedbackService extends FeedbackGrpc.FeedbackImplBase implements AutoCloseable {

  final List<FeedbackReport> reports = new CopyOnWriteArrayList<>();
  private final Set<String> reportIds = ConcurrentHashMap.newKeySet();
  final List<StreamObserver<OverrideSet>> watchers = new CopyOnWriteArrayList<>();
  final AtomicInteger watchCalls = new AtomicInteger();
  volatile Status failReports;
  volatile OverrideSet current = OverrideSet.getDefaultInstance();
  private final Server server;
  final ManagedChannel channel;

  FakeFeedbackService() throws IOException {
    String name = "feedback-" + System.nanoTime();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(this).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @Override
  public void submitReport(
      FeedbackReport request, StreamObserver<ReportVerdictResponse> responses) {
    Status fail = failReports;
    if (fail != null) {
      responses.onError(fail.asRuntimeException());
      return;
    }
    boolean fresh = reportIds.add(request.getReport().getReportId());
    if (fresh) {
      reports.add(request);
    }
    responses.onNext(
        ReportVerdictResponse.newBuilder()
            .setReportId(request.getReport().getReportId())
            .setQueued(fresh)
            .build());
    responses.onCompleted();
  }

  @Override
  public void watchOverrides(WatchOverridesRequest request, StreamObserver<OverrideSet> responses) {
    watchCalls.incrementAndGet();
    responses.onNext(current);
    watchers.add(responses);
  }

  /** Makes {@code set} current and pushes it to every open stream. */
  void push(OverrideSet set) {
    current = set;
    for (StreamObserver<OverrideSet> watcher : watchers) {
      watcher.onNext(set);
    }
  }

  /** Ends every open stream with UNAVAILABLE (the app restarting). */
  void dropStreams() {
    for (StreamObserver<OverrideSet> watcher : watchers) {
      watcher.onError(Status.UNAVAILABLE.withDescription("app restarting").asRuntimeException());
    }
    watchers.clear();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
  }
}
