package org.chorus.reward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A user's reward model written by hand, as PyTorch's TorchScript serialiser would: a module without parameters
 * whose forward(input_ids, attention_mask) returns, per row, the number of "good" tokens minus the number of "bad"
 * ones; and a Hugging Face tokenizer.json (whitespace pre-tokenizer, word-level vocabulary: [UNK] 0, good 1, bad 2).
 */
final class TorchScriptFixture {
  private TorchScriptFixture() {}

  static final String CODE = """
      class Model(Module):
        __parameters__ = []
        __buffers__ = []
        training : bool
        def forward(self: __torch__.Model,
          input_ids: Tensor,
          attention_mask: Tensor) -> Tensor:
          _0 = torch.mul(torch.eq(input_ids, 1), attention_mask)
          _1 = torch.mul(torch.eq(input_ids, 2), attention_mask)
          _2 = torch.sub(torch.sum(_0, [1]), torch.sum(_1, [1]))
          return torch.to(_2, 6)
      """;

  static final String TOKENIZER = """
      {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
       "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
       "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "good": 1, "bad": 2}, "unk_token": "[UNK]"}}
      """;

  static Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    // data.pkl: pickle protocol 2 of a __torch__.Model object whose state is {"training": True}
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(new byte[] {(byte) 0x80, 2});
    p.write("c__torch__\nModel\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
    p.write(')'); // EMPTY_TUPLE
    p.write(0x81); // NEWOBJ
    p.write('}'); // EMPTY_DICT
    p.write('('); // MARK
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    p.write('X'); // BINUNICODE
    p.write(new byte[] {(byte) key.length, 0, 0, 0});
    p.write(key);
    p.write(0x88); // NEWTRUE
    p.write('u'); // SETITEMS
    p.write('b'); // BUILD
    p.write('.'); // STOP
    try (OutputStream f = Files.newOutputStream(dir.resolve("model.pt")); ZipOutputStream z = new ZipOutputStream(f)) {
      put(z, "archive/data.pkl", p.toByteArray());
      put(z, "archive/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
      put(z, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      put(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER);
    return dir;
  }

  private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    z.putNextEntry(e);
    z.write(data);
    z.closeEntry();
  }
}
