package org.chorus.aggregate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run of pair labels as compact bytes: the run's distinct strings once, then per label their indices, the margin,
 * agreement, per-group labels and the contested flag. An election of n items has n(n-1)/2 labels per method (4.5
 * million for 1,000 items and 9 methods): kept as Spark rows of nested structs they cost more to build and cache
 * than to compute, as bytes they cost little until they are written.
 */
public final class LabelChunk {
  private LabelChunk() {}

  public static byte[] encode(List<Election.PairLabel> labels) {
    Map<String, Integer> dictionary = new HashMap<>();
    List<String> strings = new ArrayList<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(body)) {
      out.writeInt(labels.size());
      for (Election.PairLabel l : labels) {
        out.writeInt(id(l.method(), dictionary, strings));
        out.writeInt(id(l.itemA(), dictionary, strings));
        out.writeInt(id(l.itemB(), dictionary, strings));
        out.writeInt(l.winner() == null ? -1 : id(l.winner(), dictionary, strings));
        out.writeDouble(l.margin());
        out.writeDouble(l.agreement());
        out.writeInt(l.groupLabels().size());
        for (Map.Entry<String, String> g : l.groupLabels().entrySet()) {
          out.writeInt(id(g.getKey(), dictionary, strings));
          out.writeInt(id(g.getValue(), dictionary, strings));
        }
        out.writeBoolean(l.contested());
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream(body.size() + 16 * strings.size());
      DataOutputStream header = new DataOutputStream(all);
      header.writeInt(strings.size());
      for (String s : strings) {
        header.writeUTF(s);
      }
      header.flush();
      body.writeTo(all);
      return all.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int id(String s, Map<String, Integer> dictionary, List<String> strings) {
    return dictionary.computeIfAbsent(s, k -> {
      strings.add(k);
      return strings.size() - 1;
    });
  }

  public static List<Election.PairLabel> decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      String[] strings = new String[in.readInt()];
      for (int i = 0; i < strings.length; i++) {
        strings[i] = in.readUTF();
      }
      int n = in.readInt();
      List<Election.PairLabel> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String method = strings[in.readInt()];
        String a = strings[in.readInt()];
        String b = strings[in.readInt()];
        int w = in.readInt();
        double margin = in.readDouble();
        double agreement = in.readDouble();
        int groups = in.readInt();
        Map<String, String> g = new TreeMap<>();
        for (int k = 0; k < groups; k++) {
          g.put(strings[in.readInt()], strings[in.readInt()]);
        }
        out.add(new Election.PairLabel(method, a, b, w < 0 ? null : strings[w], margin, agreement, g,
            in.readBoolean()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
