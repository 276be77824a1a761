package dev.sieve.content.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The trained classification head at inference: a DJL {@link Model} on the PyTorch engine whose
 * {@link ai.djl.nn.Block} is rebuilt from {@link HeadArchitecture} and whose weights come from the
 * {@code .params} file.
 *
 * <p>Forward passes run without a {@link ai.djl.inference.Predictor} so that the caller controls
 * the batch: one call scores every page and every chunk of a dynamic batch at once. Calls are
 * serialized (the head costs microseconds next to the encoder's milliseconds).
 */
public final class ContentHead implements AutoCloseable {

  /** File prefix of the weights: DJL writes {@code content-head-0000.params}. */
  public static final String PARAMS_PREFIX = "content-head";

  public static final String ENGINE = "PyTorch";

  private final Model model;
  private final HeadArchitecture architecture;
  private final Device device;

  private ContentHead(Model model, HeadArchitecture architecture, Device device) {
    this.model = model;
    this.architecture = architecture;
    this.device = device;
  }

  /** Loads weights saved by {@link #save(Model, Path)} for the given architecture. */
  public static ContentHead load(Path directory, HeadArchitecture architecture, Device device) {
    DjlRuntime.configure();
    Model model = Model.newInstance(PARAMS_PREFIX, device, ENGINE);
    model.setBlock(architecture.build());
    try {
      model.load(directory, PARAMS_PREFIX);
    } catch (IOException e) {
      model.close();
      throw new UncheckedIOException("cannot read head weights in " + directory, e);
    } catch (MalformedModelException e) {
      model.close();
      throw new IllegalStateException(
          "head weights in " + directory + " do not fit architecture " + architecture, e);
    }
    try {
      verifyShapes(model, architecture);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new ContentHead(model, architecture, device);
  }

  /**
   * DJL copies saved arrays into the block without comparing shapes, so weights of another
   * architecture would load and fail (or worse, run) later. Compare every parameter's shape with a
   * freshly initialized block of the declared architecture.
   */
  private static void verifyShapes(Model model, HeadArchitecture architecture) {
    try (NDManager scratch = NDManager.newBaseManager(Device.cpu(), ENGINE)) {
      Block expected = architecture.build();
      expected.initialize(scratch, DataType.FLOAT32, new Shape(1, architecture.inputDim()));
      var loaded = model.getBlock().getParameters();
      var wanted = expected.getParameters();
      if (loaded.size() != wanted.size()) {
        throw new IllegalStateException(
            "head weights have "
                + loaded.size()
                + " parameters, architecture expects "
                + wanted.size());
      }
      for (int i = 0; i < wanted.size(); i++) {
        Shape want = wanted.get(i).getValue().getArray().getShape();
        Parameter have = loaded.get(i).getValue();
        Shape got = have.isInitialized() ? have.getArray().getShape() : null;
        if (!want.equals(got)) {
          throw new IllegalStateException(
              "head parameter "
                  + loaded.get(i).getKey()
                  + " has shape "
                  + got
                  + ", architecture "
                  + architecture
                  + " expects "
                  + want);
        }
      }
    }
  }

  /** Wraps an in-memory model (the trainer's) for evaluation. The caller keeps ownership. */
  public static ContentHead wrap(Model model, HeadArchitecture architecture) {
    return new ContentHead(model, architecture, model.getNDManager().getDevice());
  }

  /** Saves a trained model's weights as {@code content-head-0000.params} in {@code directory}. */
  public static Path save(Model model, Path directory) {
    try {
      model.setProperty("Epoch", "0");
      model.save(directory, PARAMS_PREFIX);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write head weights to " + directory, e);
    }
    return directory.resolve(PARAMS_PREFIX + "-0000.params");
  }

  /** The device to run on: the first GPU when asked for and DJL finds CUDA, else the CPU. */
  public static Device chooseDevice(boolean preferGpu) {
    DjlRuntime.configure();
    if (preferGpu && Engine.getEngine(ENGINE).getGpuCount() > 0) {
      return Device.gpu();
    }
    return Device.cpu();
  }

  public HeadArchitecture architecture() {
    return architecture;
  }

  public Device device() {
    return device;
  }

  /**
   * Logits for {@code rows} feature vectors laid out row-major in {@code features} (length rows x
   * inputDim). Returns {@code [rows][outputs]}.
   */
  public synchronized float[][] logits(float[] features, int rows) {
    int inputDim = architecture.inputDim();
    if (features.length != rows * inputDim) {
      throw new IllegalArgumentException(
          "expected " + rows + " x " + inputDim + " features, got " + features.length);
    }
    float[][] out = new float[rows][];
    if (rows == 0) {
      return out;
    }
    try (NDManager manager = model.getNDManager().newSubManager(device)) {
      NDArray input = manager.create(features, new Shape(rows, inputDim));
      NDList result =
          model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), false);
      float[] flat = result.singletonOrThrow().toFloatArray();
      int outputs = architecture.outputs();
      for (int r = 0; r < rows; r++) {
        out[r] = new float[outputs];
        System.arraycopy(flat, r * outputs, out[r], 0, outputs);
      }
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
