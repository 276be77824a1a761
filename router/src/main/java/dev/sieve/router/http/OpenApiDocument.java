package dev.sieve.router.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.proto.v1.ClassifyBatchRequest;
import dev.sieve.proto.v1.ClassifyBatchResponse;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ListCategoriesResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 description of the JSON/HTTP API, generated from the proto descriptors, so it
 * cannot drift from the messages the gateway actually parses and prints: every field of every
 * message reachable from the requests and responses, named and typed by the proto3 JSON mapping
 * (lowerCamel names; 64-bit integers as strings; bytes as base64 strings; enums as their value
 * names). Served at {@code GET /v1/openapi.json}; the committed copy (docs/openapi.json) is checked
 * against this generator by a test.
 */
public final class OpenApiDocument {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private OpenApiDocument() {}

  /** The document as pretty-printed JSON (stable: same proto, same bytes). */
  public static String json() {
    try {
      return JSON.writeValueAsString(build()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode build() {
    ObjectNode root = JSON.createObjectNode();
    root.put("openapi", "3.1.0");
    ObjectNode info = root.putObject("info");
    info.put("title", "Sieve Classifier JSON/HTTP API");
    info.put("version", "v1");
    info.put(
        "description",
        "The sieve.v1.Classifier service over HTTP with the proto3 JSON mapping (generated from the proto "
            + "descriptors by dev.sieve.router.http.OpenApiDocument). Errors are google.rpc.Status as JSON; "
            + "details carry google.rpc.ErrorInfo (domain sieve.dev, reason codes listed in ErrorReason) and "
            + "google.rpc.BadRequest. html and text are bytes: base64 in JSON.");
    ObjectNode paths = root.putObject("paths");
    paths.set(
        "/v1/classify",
        post(
            "Classify one URL and/or page",
            "classify",
            ClassifyRequest.getDescriptor(),
            ClassifyResponse.getDescriptor()));
    paths.set(
        "/v1/classify:batch",
        post(
            "Classify up to SIEVE_HTTP_MAX_BATCH_ITEMS requests; one entry per request, in request order",
            "classifyBatch",
            ClassifyBatchRequest.getDescriptor(),
            ClassifyBatchResponse.getDescriptor()));
    ObjectNode categories = paths.putObject("/v1/categories").putObject("get");
    categories.put(
        "summary", "The categories and what each does under the tenant's policy (ListCategories)");
    categories.put("operationId", "listCategories");
    ArrayNode parameters = categories.putArray("parameters");
    ObjectNode tenant = parameters.addObject();
    tenant.put("name", "tenantId");
    tenant.put("in", "query");
    tenant.put("required", false);
    tenant.putObject("schema").put("type", "string");
    parameters.addObject().put("$ref", "#/components/parameters/Deadline");
    parameters.addObject().put("$ref", "#/components/parameters/GrpcTimeout");
    responses(categories, ListCategoriesResponse.getDescriptor());

    ObjectNode components = root.putObject("components");
    ObjectNode schemas = components.putObject("schemas");
    Map<String, ObjectNode> messages = new TreeMap<>();
    Deque<Descriptor> todo = new ArrayDeque<>();
    todo.add(ClassifyRequest.getDescriptor());
    todo.add(ClassifyResponse.getDescriptor());
    todo.add(ClassifyBatchRequest.getDescriptor());
    todo.add(ClassifyBatchResponse.getDescriptor());
    todo.add(ListCategoriesResponse.getDescriptor());
    while (!todo.isEmpty()) {
      Descriptor message = todo.poll();
      if (!messages.containsKey(message.getFullName())) {
        messages.put(message.getFullName(), schema(message, todo));
      }
    }
    messages.forEach(schemas::set);
    schemas.set("google.rpc.Status", statusSchema());

    ObjectNode params = components.putObject("parameters");
    ObjectNode deadline = params.putObject("Deadline");
    deadline.put("name", HttpGateway.DEADLINE_HEADER);
    deadline.put("in", "header");
    deadline.put(
        "description",
        "The call's deadline in milliseconds (the gRPC deadline); 504 when it expires");
    deadline.putObject("schema").put("type", "integer").put("minimum", 1);
    ObjectNode grpcTimeout = params.putObject("GrpcTimeout");
    grpcTimeout.put("name", "grpc-timeout");
    grpcTimeout.put("in", "header");
    grpcTimeout.put(
        "description",
        "The deadline in gRPC's own format (e.g. 500m, 2S); X-Sieve-Deadline-Ms wins");
    grpcTimeout.putObject("schema").put("type", "string").put("pattern", "^[0-9]{1,8}[HMSmun]$");
    ObjectNode security = components.putObject("securitySchemes").putObject("apiKey");
    security.put("type", "http");
    security.put("scheme", "bearer");
    security.put(
        "description",
        "A tenant API key when the router requires client authentication (SIEVE_CLIENT_AUTH)");
    root.putArray("security").addObject().putArray("apiKey");
    return root;
  }

  private static ObjectNode post(
      String summary, String operationId, Descriptor request, Descriptor response) {
    ObjectNode path = JSON.createObjectNode();
    ObjectNode post = path.putObject("post");
    post.put("summary", summary);
    post.put("operationId", operationId);
    ArrayNode parameters = post.putArray("parameters");
    parameters.addObject().put("$ref", "#/components/parameters/Deadline");
    parameters.addObject().put("$ref", "#/components/parameters/GrpcTimeout");
    ObjectNode body = post.putObject("requestBody");
    body.put("required", true);
    body.putObject("content")
        .putObject("application/json")
        .putObject("schema")
        .put("$ref", ref(request));
    responses(post, response);
    return path;
  }

  private static void responses(ObjectNode operation, Descriptor response) {
    ObjectNode responses = operation.putObject("responses");
    ObjectNode ok = responses.putObject("200");
    ok.put("description", response.getName());
    ok.putObject("content")
        .putObject("application/json")
        .putObject("schema")
        .put("$ref", ref(response));
    String[][] errors = {
      {
        "400",
        "INVALID_ARGUMENT: malformed JSON, unknown field, bad URL, invalid UTF-8, unknown tier, bad deadline"
      },
      {"401", "UNAUTHENTICATED"},
      {"403", "PERMISSION_DENIED: the request names another tenant than the API key's"},
      {"404", "no such path"},
      {"405", "method not allowed"},
      {"413", "RESOURCE_EXHAUSTED with reason BODY_TOO_LARGE or BATCH_TOO_LARGE"},
      {"415", "the body is not application/json"},
      {"429", "RESOURCE_EXHAUSTED with reason OVERLOADED: retry after a back-off"},
      {"503", "UNAVAILABLE"},
      {"504", "DEADLINE_EXCEEDED"},
    };
    for (String[] error : errors) {
      ObjectNode node = responses.putObject(error[0]);
      node.put("description", error[1]);
      node.putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("$ref", "#/components/schemas/google.rpc.Status");
    }
  }

  private static String ref(Descriptor message) {
    return "#/components/schemas/" + message.getFullName();
  }

  private static ObjectNode schema(Descriptor message, Deque<Descriptor> todo) {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("type", "object");
    schema.put("additionalProperties", false);
    ObjectNode properties = schema.putObject("properties");
    for (FieldDescriptor field : message.getFields()) {
      ObjectNode type = fieldType(field, todo);
      if (field.getRealContainingOneof() != null) {
        type.put(
            "description",
            "oneof " + field.getRealContainingOneof().getName() + ": at most one is set");
      }
      if (field.isRepeated()) {
        ObjectNode array = JSON.createObjectNode();
        array.put("type", "array");
        array.set("items", type);
        type = array;
      }
      type.put("x-proto-field", field.getName() + " = " + field.getNumber());
      properties.set(field.getJsonName(), type);
    }
    return schema;
  }

  private static ObjectNode fieldType(FieldDescriptor field, Deque<Descriptor> todo) {
    ObjectNode type = JSON.createObjectNode();
    switch (field.getJavaType()) {
      case INT -> type.put("type", "integer").put("format", "int32");
      case LONG -> type.put("type", "string").put("format", "int64");
      case FLOAT, DOUBLE -> type.put("type", "number");
      case BOOLEAN -> type.put("type", "boolean");
      case STRING -> type.put("type", "string");
      case BYTE_STRING -> type.put("type", "string").put("format", "byte");
      case ENUM -> {
        type.put("type", "string");
        ArrayNode values = type.putArray("enum");
        for (EnumValueDescriptor value : field.getEnumType().getValues()) {
          values.add(value.getName());
        }
      }
      case MESSAGE -> {
        todo.add(field.getMessageType());
        type.put("$ref", ref(field.getMessageType()));
      }
    }
    return type;
  }

  private static ObjectNode statusSchema() {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("type", "object");
    schema.put(
        "description",
        "google.rpc.Status: code is the gRPC code number; details hold "
            + "google.rpc.ErrorInfo (reason one of ErrorReason, domain sieve.dev) and google.rpc.BadRequest");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("code").put("type", "integer");
    properties.putObject("message").put("type", "string");
    ObjectNode details = properties.putObject("details");
    details.put("type", "array");
    ObjectNode item = details.putObject("items");
    item.put("type", "object");
    ObjectNode itemProperties = item.putObject("properties");
    itemProperties.putObject("@type").put("type", "string");
    ObjectNode reason = itemProperties.putObject("reason");
    reason.put("type", "string");
    ArrayNode reasons = reason.putArray("enum");
    for (ErrorReason r : ErrorReason.values()) {
      reasons.add(r.name());
    }
    itemProperties.putObject("domain").put("type", "string");
    itemProperties.putObject("metadata").put("type", "object");
    itemProperties.putObject("fieldViolations").put("type", "array");
    return schema;
  }
}
