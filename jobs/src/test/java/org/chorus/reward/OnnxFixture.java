package org.chorus.reward;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A user's reward model as an ONNX file, encoded by hand in ONNX's protobuf wire format (onnx.proto3 field numbers):
 * the same function as {@link TorchScriptFixture} (per row, the masked count of "good" tokens minus that of "bad"
 * ones), as a graph Gather(weights [0, 1, -1], input_ids) x Cast(attention_mask) summed over axis 1, opset 13.
 * Written with the same tokenizer.json.
 */
final class OnnxFixture {
  private OnnxFixture() {}

  // onnx.proto TensorProto.DataType
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  static Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    byte[] graph = message(g -> {
      g.writeBytes(1, node(new String[] {"weights", "input_ids"}, "embedded", "Gather", attrInt("axis", 0)));
      g.writeBytes(1, node(new String[] {"attention_mask"}, "mask", "Cast", attrInt("to", FLOAT)));
      g.writeBytes(1, node(new String[] {"embedded", "mask"}, "masked", "Mul", null));
      g.writeBytes(1, node(new String[] {"masked", "axes"}, "score", "ReduceSum", attrInt("keepdims", 0)));
      g.writeString(2, "good_minus_bad");
      g.writeBytes(5, bytes(t -> { // TensorProto weights: float [3]
        t.writeInt64(1, 3);
        t.writeInt32(2, FLOAT);
        t.writeString(8, "weights");
        t.writeBytes(9, littleEndianFloats(0f, 1f, -1f));
      }));
      g.writeBytes(5, bytes(t -> { // TensorProto axes: int64 [1] = {1}
        t.writeInt64(1, 1);
        t.writeInt32(2, INT64);
        t.writeString(8, "axes");
        t.writeBytes(9, ByteString.copyFrom(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}));
      }));
      g.writeBytes(11, valueInfo("input_ids", INT64, "batch", "length"));
      g.writeBytes(11, valueInfo("attention_mask", INT64, "batch", "length"));
      g.writeBytes(12, valueInfo("score", FLOAT, "batch"));
    });
    byte[] model = message(m -> {
      m.writeInt64(1, 8); // ir_version
      m.writeString(2, "chorus-test"); // producer_name
      m.writeBytes(7, ByteString.copyFrom(graph));
      m.writeBytes(8, bytes(o -> { // opset_import: the default domain, version 13
        o.writeString(1, "");
        o.writeInt64(2, 13);
      }));
    });
    Files.write(dir.resolve("model.onnx"), model);
    Files.writeString(dir.resolve("tokenizer.json"), TorchScriptFixture.TOKENIZER);
    return dir;
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    body.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static ByteString bytes(Body body) throws IOException {
    return ByteString.copyFrom(message(body));
  }

  private static ByteString node(String[] inputs, String output, String op, byte[] attribute) throws IOException {
    return bytes(n -> {
      for (String in : inputs) {
        n.writeString(1, in);
      }
      n.writeString(2, output);
      n.writeString(3, op + "_" + output);
      n.writeString(4, op);
      if (attribute != null) {
        n.writeBytes(5, ByteString.copyFrom(attribute));
      }
    });
  }

  /** AttributeProto of type INT (2): name 1, i 3, type 20. */
  private static byte[] attrInt(String name, long value) throws IOException {
    return message(a -> {
      a.writeString(1, name);
      a.writeInt64(3, value);
      a.writeInt32(20, 2);
    });
  }

  /** ValueInfoProto: a tensor of {@code elemType} whose dimensions are named (symbolic). */
  private static ByteString valueInfo(String name, int elemType, String... dims) throws IOException {
    byte[] shape = message(s -> {
      for (String d : dims) {
        s.writeBytes(1, bytes(dim -> dim.writeString(2, d)));
      }
    });
    byte[] tensor = message(t -> {
      t.writeInt32(1, elemType);
      t.writeBytes(2, ByteString.copyFrom(shape));
    });
    return bytes(v -> {
      v.writeString(1, name);
      v.writeBytes(2, bytes(type -> type.writeBytes(1, ByteString.copyFrom(tensor))));
    });
  }

  private static ByteString littleEndianFloats(float... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return ByteString.copyFrom(b.array());
  }
}
