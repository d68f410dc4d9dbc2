package cn.canlian.events;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads every Canlian topic from its beginning to its current end, decodes each record with the
 * CloudEvents Kafka SDK and validates the event's data against the published JSON Schema of its
 * type and version (docs/events/schemas/&lt;type&gt;/v&lt;n&gt;.json).
 *
 * <p>Prints, per event type, how many events came, how many were valid and invalid, then one JSON
 * line {@code summary: {...}}. Exits 1 on any invalid or undecodable event, 2 with
 * {@code --require-all} if a type of the catalogue had no event, 3 on bad arguments.
 *
 * <p>Usage: {@code Main --bootstrap host:port --schemas docs/events/schemas [--require-all]}
 */
public final class Main {
  private static final Pattern VERSION = Pattern.compile("/v(\\d+)\\.json$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Tally(int[] counts) {
    Tally() {
      this(new int[3]);
    }
  }

  private Main() {}

  public static void main(String[] args) throws IOException {
    String bootstrap = null;
    Path schemas = null;
    boolean requireAll = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bootstrap" -> bootstrap = args[++i];
        case "--schemas" -> schemas = Path.of(args[++i]);
        case "--require-all" -> requireAll = true;
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.exit(3);
        }
      }
    }
    if (bootstrap == null || schemas == null) {
      System.err.println("usage: --bootstrap host:port --schemas DIR [--require-all]");
      System.exit(3);
    }
    System.exit(run(bootstrap, schemas, requireAll));
  }

  /** "type/vN" -> schema; the topics named by the schemas. */
  private static Map<String, Schema> loadSchemas(Path root, TreeSet<String> topics)
      throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Map<String, Schema> found = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode node = JSON.readTree(text);
        topics.add(node.get("x-canlian-topic").asString());
        String key = file.getParent().getFileName() + "/" + file.getFileName().toString().replace(".json", "");
        found.put(key, registry.getSchema(text, InputFormat.JSON));
      }
    }
    return found;
  }

  private static String schemaKey(CloudEvent event) {
    URI dataschema = event.getDataSchema();
    if (dataschema == null) {
      return null;
    }
    Matcher match = VERSION.matcher(dataschema.getPath() == null ? "" : dataschema.getPath());
    return match.find() ? event.getType() + "/v" + match.group(1) : null;
  }

  static int run(String bootstrap, Path schemaRoot, boolean requireAll) throws IOException {
    TreeSet<String> topics = new TreeSet<>();
    Map<String, Schema> schemas = loadSchemas(schemaRoot, topics);
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "canlian-java-check-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class.getName());

    Map<String, Tally> byType = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    int undecodable = 0;
    try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(30));
      for (String topic : topics) {
        for (PartitionInfo info : existing.getOrDefault(topic, List.of())) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      List<TopicPartition> reading = new ArrayList<>(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!reading.isEmpty() && System.nanoTime() < deadline) {
        try {
          for (ConsumerRecord<String, CloudEvent> record : consumer.poll(Duration.ofMillis(500))) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (record.offset() >= ends.get(partition)) {
              continue;
            }
            check(record, schemas, byType, problems);
          }
        } catch (RecordDeserializationException error) {
          undecodable++;
          problems.add("undecodable " + error.topicPartition() + "@" + error.offset() + ": " + error.getMessage());
          consumer.seek(error.topicPartition(), error.offset() + 1);
        }
        reading.removeIf(p -> consumer.position(p) >= ends.get(p));
      }
      if (!reading.isEmpty()) {
        problems.add("timed out reading " + reading);
        undecodable++;
      }
    }
    return report(schemas, byType, problems, undecodable, requireAll);
  }

  private static void check(
      ConsumerRecord<String, CloudEvent> record,
      Map<String, Schema> schemas,
      Map<String, Tally> byType,
      List<String> problems) {
    CloudEvent event = record.value();
    Tally tally = byType.computeIfAbsent(event.getType(), t -> new Tally());
    tally.counts()[0]++;
    String where = event.getType() + " " + event.getId() + " (" + record.topic() + "@" + record.offset() + ")";
    List<String> faults = new ArrayList<>();
    String key = schemaKey(event);
    Schema schema = key == null ? null : schemas.get(key);
    if (schema == null) {
      faults.add("no published schema for dataschema " + event.getDataSchema());
    } else if (event.getData() == null) {
      faults.add("no data");
    } else {
      String data = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
      for (Error error : schema.validate(data, InputFormat.JSON)) {
        faults.add(error.getInstanceLocation() + ": " + error.getMessage());
      }
    }
    Object partitionKey = event.getExtension("partitionkey");
    if (partitionKey == null || !partitionKey.toString().equals(record.key())) {
      faults.add("record key " + record.key() + " is not the partitionkey " + partitionKey);
    }
    if (faults.isEmpty()) {
      tally.counts()[1]++;
    } else {
      tally.counts()[2]++;
      problems.add("invalid " + where + ": " + String.join("; ", faults));
    }
  }

  private static int report(
      Map<String, Schema> schemas,
      Map<String, Tally> byType,
      List<String> problems,
      int undecodable,
      boolean requireAll) {
    TreeSet<String> catalogued = new TreeSet<>();
    for (String key : schemas.keySet()) {
      catalogued.add(key.substring(0, key.lastIndexOf('/')));
    }
    List<String> missing = new ArrayList<>();
    for (String type : catalogued) {
      if (!byType.containsKey(type)) {
        missing.add(type);
      }
    }
    System.out.printf("%-55s %7s %7s %7s%n", "type", "count", "valid", "invalid");
    int invalid = 0;
    ObjectNode summary = JSON.createObjectNode();
    ObjectNode types = summary.putObject("types");
    for (Map.Entry<String, Tally> entry : byType.entrySet()) {
      int[] c = entry.getValue().counts();
      invalid += c[2];
      System.out.printf("%-55s %7d %7d %7d%n", entry.getKey(), c[0], c[1], c[2]);
      ObjectNode row = types.putObject(entry.getKey());
      row.put("count", c[0]);
      row.put("valid", c[1]);
      row.put("invalid", c[2]);
    }
    for (String problem : problems) {
      System.out.println("PROBLEM " + problem);
    }
    summary.put("undecodable", undecodable);
    summary.put("invalid", invalid);
    summary.putPOJO("missing", missing);
    System.out.println("summary: " + JSON.writeValueAsString(summary));
    if (invalid > 0 || undecodable > 0) {
      return 1;
    }
    return requireAll && !missing.isEmpty() ? 2 : 0;
  }
}
