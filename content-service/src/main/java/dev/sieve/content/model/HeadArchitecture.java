package dev.sieve.content.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Shape of the classification head: a one-hidden-layer MLP from pooled chunk embeddings to one
 * logit per category.
 *
 * <p>Defined in Java (not exported TorchScript) because DJL cannot export TorchScript from Java;
 * the {@code .params} file only holds weights, and this record rebuilds the exact {@link Block}
 * they belong to. The record is stored in the model's JSON configuration so the artifact is
 * self-describing.
 *
 * @param inputDim feature size (2 x encoder dimension: mean and max pooling)
 * @param hidden hidden units
 * @param dropout dropout rate while training (inactive at inference)
 * @param outputs one logit per category in {@code HeadConfig#categories()}
 */
public record HeadArchitecture(
    @JsonProperty("input_dim") int inputDim,
    @JsonProperty("hidden") int hidden,
    @JsonProperty("dropout") float dropout,
    @JsonProperty("outputs") int outputs) {

  public HeadArchitecture {
    if (inputDim <= 0 || hidden <= 0 || outputs <= 0 || dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException(
          "invalid head architecture: " + inputDim + "/" + hidden + "/" + outputs);
    }
  }

  /** Linear(hidden) -> ReLU -> Dropout -> Linear(outputs): logits, no output activation. */
  public Block build() {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.reluBlock())
        .add(Dropout.builder().optRate(dropout).build())
        .add(Linear.builder().setUnits(outputs).build());
  }
}
