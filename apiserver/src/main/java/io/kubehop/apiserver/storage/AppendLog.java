package io.kubehop.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The store's durable form: an append-only file of JSON lines, one per write, appended before the
 * write is acknowledged. Each line is {@code
 * {"rv":N,"op":"put","key":"pods/default/x","object":{…}}} or {@code
 * {"rv":N,"op":"delete","key":…}}. A crash ({@code kill -9}) can leave a torn last line, which
 * replay drops and truncates away. When the log holds many more records than live objects it is
 * rewritten as a snapshot (a {@code {"rv":N,"op":"rv"}} line keeping the counter, then one put per
 * object) through a temp file and an atomic rename. Not thread-safe: the owning store serialises
 * calls.
 */
final class AppendLog implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(AppendLog.class.getName());
  private static final int COMPACT_MIN_RECORDS = 2000;

  private final Path file;
  private final boolean fsync;
  private FileChannel channel;
  private long records;

  /** What replay recovered. */
  record Recovered(long resourceVersion, long records) {}

  AppendLog(Path dir, boolean fsync) throws IOException {
    Files.createDirectories(dir);
    this.file = dir.resolve("objects.jsonl");
    this.fsync = fsync;
  }

  /** Replays the log into {@code objects}, drops a torn tail, then opens the log for appending. */
  Recovered replay(Map<StoreKey, ObjectNode> objects) throws IOException {
    long rv = 0;
    long count = 0;
    if (Files.exists(file)) {
      byte[] bytes = Files.readAllBytes(file);
      int start = 0;
      long goodEnd = 0;
      while (start < bytes.length) {
        int nl = indexOf(bytes, (byte) '\n', start);
        if (nl < 0) {
          LOG.warning(
              "dropping torn last record of " + file + " (" + (bytes.length - start) + " bytes)");
          break;
        }
        JsonNode record;
        try {
          record =
              ApiJson.mapper()
                  .readTree(new String(bytes, start, nl - start, StandardCharsets.UTF_8));
        } catch (IOException e) {
          if (indexOf(bytes, (byte) '\n', nl + 1) < 0) {
            LOG.warning("dropping unreadable last record of " + file);
            break;
          }
          throw new IOException("corrupt record at byte " + start + " of " + file, e);
        }
        rv = Math.max(rv, apply(record, objects));
        count++;
        start = nl + 1;
        goodEnd = start;
      }
      if (goodEnd < bytes.length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(goodEnd);
        }
      }
    }
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    records = count;
    return new Recovered(rv, count);
  }

  private static long apply(JsonNode record, Map<StoreKey, ObjectNode> objects) {
    long rv = record.path("rv").asLong();
    String op = record.path("op").asText();
    if (op.equals("put")) {
      objects.put(StoreKey.parse(record.path("key").asText()), (ObjectNode) record.get("object"));
    } else if (op.equals("delete")) {
      objects.remove(StoreKey.parse(record.path("key").asText()));
    }
    return rv;
  }

  void appendPut(long rv, StoreKey key, ObjectNode object) throws IOException {
    ObjectNode record = ApiJson.mapper().createObjectNode();
    record.put("rv", rv).put("op", "put").put("key", key.toString()).set("object", object);
    write(record);
  }

  void appendDelete(long rv, StoreKey key) throws IOException {
    ObjectNode record = ApiJson.mapper().createObjectNode();
    record.put("rv", rv).put("op", "delete").put("key", key.toString());
    write(record);
  }

  private void write(ObjectNode record) throws IOException {
    byte[] line = (ApiJson.write(record) + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.wrap(line);
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    if (fsync) {
      channel.force(false);
    }
    records++;
  }

  /** Rewrites the log as a snapshot when it has grown well beyond the live object count. */
  void maybeCompact(long rv, Map<StoreKey, ObjectNode> objects) throws IOException {
    if (records < COMPACT_MIN_RECORDS || records < 4L * objects.size()) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      StringBuilder sb = new StringBuilder();
      sb.append("{\"rv\":").append(rv).append(",\"op\":\"rv\"}\n");
      for (Map.Entry<StoreKey, ObjectNode> e : objects.entrySet()) {
        ObjectNode record = ApiJson.mapper().createObjectNode();
        record
            .put("rv", e.getValue().path("metadata").path("resourceVersion").asLong())
            .put("op", "put")
            .put("key", e.getKey().toString())
            .set("object", e.getValue());
        sb.append(ApiJson.write(record)).append('\n');
      }
      ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      out.force(true);
    }
    channel.close();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    LOG.info("compacted " + file + ": " + records + " records -> " + (objects.size() + 1));
    records = objects.size() + 1L;
  }

  long records() {
    return records;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
