package dev.sieve.content.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.protobuf.ByteString;
import dev.sieve.content.ContentServiceMainAccess;
import dev.sieve.content.encode.ChunkEncoder;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.content.extract.PoisonPages;
import dev.sieve.content.model.CategoryConfig;
import dev.sieve.content.model.ContentHead;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.model.HeadArchitecture;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.content.model.PlattCalibration;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.util.Sha256;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScorerGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overload and size limits, with an encoder that blocks on a latch so the queue state is known. */
class ContentTierOverloadTest {

  /** An encoder that waits for a latch, then returns fixed unit vectors. */
  static final class BlockingEncoder implements ChunkEncoder {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String id() {
      return "fake/blocking";
    }

    @Override
    public int dimension() {
      return 384;
    }

    @Override
    public String device() {
      return "cpu";
    }

    @Override
    public float[][] embed(List<String> texts) {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      float[][] out = new float[texts.size()][384];
      for (float[] row : out) {
        row[0] = 1f;
      }
      return out;
    }

    @Override
    public void close() {}
  }

  static ContentModel randomModel(Path dir, ChunkEncoder encoder) throws Exception {
    HeadArchitecture architecture = new HeadArchitecture(768, 4, 0f, 1);
    try (Model model =
        Model.newInstance(ContentHead.PARAMS_PREFIX, Device.cpu(), ContentHead.ENGINE)) {
      model.setBlock(architecture.build());
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 768));
      Path params = ContentHead.save(model, dir);
      HeadConfig config =
          new HeadConfig(
              "content-minilm-mlp",
              "random",
              "",
              "v1",
              encoder.id(),
              90,
              16,
              HeadConfig.POOLING_MEAN_MAX,
              19.6f,
              architecture,
              List.of(
                  new CategoryConfig(
                      "gambling", true, "", PlattCalibration.IDENTITY, 0.5, "fixed")),
              "ds-test",
              Map.of(),
              params.getFileName().toString(),
              Sha256.ofFile(params),
              Files.size(params),
              "test");
      config.write(dir.resolve(HeadConfig.FILE));
    }
    return ContentModel.load(dir, encoder, Device.cpu());
  }

  @Test
  void fullQueueIsResourceExhaustedNotABlockedCaller(@TempDir Path dir) throws Exception {
    BlockingEncoder encoder = new BlockingEncoder();
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try (ContentModel model = randomModel(dir, encoder);
        ContentTierScorer scorer =
            new ContentTierScorer(
                model,
                new PageExtractor(ExtractionLimits.defaults()),
                new BatcherConfig(1, Duration.ZERO, 1, 1))) {
      ScoreRequest request =
          ScoreRequest.newBuilder().setText(ByteString.copyFromUtf8("some words")).build();
      Future<?> computing = callers.submit(() -> scorer.score(request));
      assertThat(encoder.entered.await(30, TimeUnit.SECONDS)).isTrue();
      Future<?> queued = callers.submit(() -> scorer.score(request));
      while (scorer.batcher().queueDepth() < 1) {
        Thread.sleep(2);
      }
      ScoringException rejected =
          Assertions.assertThrows(ScoringException.class, () -> scorer.score(request));
      assertThat(rejected.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      encoder.release.countDown();
      computing.get(30, TimeUnit.SECONDS);
      queued.get(30, TimeUnit.SECONDS);
    } finally {
      encoder.release.countDown();
      callers.shutdownNow();
    }
  }

  @Test
  void fiftyMegabyteBodyIsRefusedByTheServerBeforeParsing(@TempDir Path dir) throws Exception {
    BlockingEncoder encoder = new BlockingEncoder();
    encoder.release.countDown();
    ExtractionLimits limits = ExtractionLimits.defaults();
    try (ContentModel model = randomModel(dir, encoder);
        ContentTierScorer scorer =
            new ContentTierScorer(model, new PageExtractor(limits), BatcherConfig.unbatched(4))) {
      GrpcServerLauncher server =
          GrpcServerLauncher.builder("content-test")
              .host("127.0.0.1")
              .port(0)
              .maxInboundMessageBytes(ContentServiceMainAccess.maxInboundMessageBytes(limits))
              .addService(new ScorerService(scorer))
              .build()
              .start();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        var stub = ScorerGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        ByteString fifty = ByteString.copyFromUtf8("<p>" + "a".repeat(50 * 1024 * 1024) + "</p>");
        StatusRuntimeException e =
            Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> stub.score(ScoreRequest.newBuilder().setHtml(fifty).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(scorer.timings().pages()).isZero();
        // A normal page still goes through on the same server.
        assertThat(
                stub.score(
                        ScoreRequest.newBuilder()
                            .setHtml(ByteString.copyFromUtf8("<p>hello there</p>"))
                            .build())
                    .getScoresCount())
            .isEqualTo(1);
      } finally {
        channel.shutdownNow();
        server.shutdownGracefully(Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void aDeadlineThatCannotCoverTheQueuedWorkIsShedBeforeParsing(@TempDir Path dir)
      throws Exception {
    BlockingEncoder encoder = new BlockingEncoder();
    ExecutorService callers = Executors.newFixedThreadPool(1);
    try (ContentModel model = randomModel(dir, encoder);
        ContentTierScorer scorer =
            new ContentTierScorer(
                model,
                new PageExtractor(ExtractionLimits.defaults()),
                new BatcherConfig(4, Duration.ZERO, 16, 1))) {
      ScoreRequest request =
          ScoreRequest.newBuilder().setHtml(ByteString.copyFromUtf8("<p>some words</p>")).build();
      // One page is being encoded (held in the encoder), and the model is believed to need 10 s per
      // chunk: a call allowing 1 s cannot finish behind it.
      Future<?> computing = callers.submit(() -> scorer.score(request));
      assertThat(encoder.entered.await(30, TimeUnit.SECONDS)).isTrue();
      scorer.batcher().estimator().observe(1, TimeUnit.SECONDS.toNanos(10));
      Context.CancellableContext call =
          Context.current()
              .withDeadline(
                  Deadline.after(1, TimeUnit.SECONDS),
                  Executors.newSingleThreadScheduledExecutor());
      ScoringException shed;
      try {
        shed =
            Assertions.assertThrows(
                ScoringException.class, () -> call.call(() -> scorer.score(request)));
      } finally {
        call.cancel(null);
      }
      assertThat(shed.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(shed.getMessage())
          .contains("shed at admission")
          .contains("1 queued/in-flight units");
      assertThat(scorer.batcher().stats().shed()).isEqualTo(1);
      assertThat(scorer.batcher().stats().submitted()).isEqualTo(1);
      encoder.release.countDown();
      computing.get(30, TimeUnit.SECONDS);
      // Without a deadline nothing is shed: the call is scored.
      assertThat(scorer.score(request).getScoresCount()).isEqualTo(1);
      assertThat(scorer.timings().pages()).isEqualTo(2);
    } finally {
      encoder.release.countDown();
      callers.shutdownNow();
    }
  }

  @Test
  void aPoisonPageIsScoredOnWhatFitsAndTheResponseSaysWhichLimitsWereHit(@TempDir Path dir)
      throws Exception {
    BlockingEncoder encoder = new BlockingEncoder();
    encoder.release.countDown();
    try (ContentModel model = randomModel(dir, encoder);
        ContentTierScorer scorer =
            new ContentTierScorer(
                model,
                new PageExtractor(ExtractionLimits.defaults()),
                BatcherConfig.unbatched(4))) {
      ScoreRequest request =
          ScoreRequest.newBuilder()
              .setHtml(ByteString.copyFromUtf8(PoisonPages.nestedDivs(100_000)))
              .build();
      var response = scorer.score(request);
      assertThat(response.getScoresCount()).isEqualTo(1);
      assertThat(response.getNormalizedInput())
          .contains("chunks=1")
          .contains("truncated=")
          .contains("max_depth")
          .contains("max_tags");
      assertThat(scorer.timings().chunks()).isEqualTo(1);
    }
  }
}
