package org.chorus.core.io;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Pseudonymous ids for what leaves Chorus (shards): {@code p_} + the first 16 hex digits of HMAC-SHA256(key, id).
 * The same key gives the same pseudonym in every run, so a researcher can still join a published row to the run's
 * lineage with the key, and no one without it can reverse or test a guess. The key comes from the environment
 * ({@code CHORUS_PSEUDONYM_KEY}); without it, from a random key made once per warehouse at
 * {@code WAREHOUSE/_chorus/pseudonym.key}. The key is never logged or written anywhere else.
 */
public final class Pseudonyms implements Serializable {
  public static final String ENV = "CHORUS_PSEUDONYM_KEY";
  private static final long serialVersionUID = 1L;
  private final byte[] key;

  private Pseudonyms(byte[] key) {
    this.key = key.clone();
  }

  public static Pseudonyms withKey(String key) {
    if (key == null || key.length() < 16) {
      throw new IllegalArgumentException(ENV + " must hold at least 16 characters");
    }
    return new Pseudonyms(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The environment's key, else the warehouse's (made on first use, readable by its owner only where possible). */
  public static Pseudonyms forWarehouse(String warehouse, Configuration conf) throws IOException {
    String env = System.getenv(ENV);
    if (env != null && !env.isEmpty()) {
      return withKey(env);
    }
    Path file = new Path(warehouse, "_chorus/pseudonym.key");
    FileSystem fs = file.getFileSystem(conf);
    if (!fs.exists(file)) {
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      Path tmp = new Path(file.getParent(), ".pseudonym.key." + System.nanoTime());
      TextFiles.write(tmp.toString(), HexFormat.of().formatHex(fresh), conf);
      try {
        fs.setPermission(tmp, new org.apache.hadoop.fs.permission.FsPermission((short) 0600));
      } catch (IOException | UnsupportedOperationException e) {
        // object stores have no permissions: the bucket's policy guards the key
      }
      if (!fs.rename(tmp, file)) {
        fs.delete(tmp, false); // another process made it first: use theirs
      }
    }
    return withKey(TextFiles.read(file.toString(), conf).strip());
  }

  public String of(String id) {
    if (id == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] h = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
      return "p_" + HexFormat.of().formatHex(h, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "Pseudonyms[key withheld]";
  }
}
