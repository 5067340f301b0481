package io.secretsapi.server;

import io.secretsapi.Required;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 uses it) in a few words, for declaring what a route answers.
 * Objects are closed ({@code additionalProperties: false}) unless said otherwise, so that every
 * field a client sees is declared, and a field always present is {@code required}.
 */
final class JsonSchema {
  private JsonSchema() {}

  static Map<String, Object> string() {
    return Map.of("type", "string");
  }

  static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  /** An RFC 3339 time. */
  static Map<String, Object> time() {
    return Map.of("type", "string", "format", "date-time");
  }

  static Map<String, Object> integer() {
    return Map.of("type", "integer");
  }

  static Map<String, Object> bool() {
    return Map.of("type", "boolean");
  }

  static Map<String, Object> oneOfStrings(String... values) {
    return Map.of("type", "string", "enum", List.of(values));
  }

  static Map<String, Object> constant(String value) {
    return Map.of("type", "string", "const", value);
  }

  static Map<String, Object> array(Map<String, Object> items) {
    return Map.of("type", "array", "items", items);
  }

  static Map<String, Object> strings() {
    return array(string());
  }

  /** A named schema of {@code components/schemas}. */
  static Map<String, Object> ref(String name) {
    return Map.of("$ref", "#/components/schemas/" + name);
  }

  /** Anything: the upstream's answer through the proxy, a free-form document. */
  static Map<String, Object> any() {
    return Map.of();
  }

  /** An object whose members are not fixed here (an audit record, a policy document). */
  static Map<String, Object> openObject(String description) {
    return Map.of("type", "object", "description", description);
  }

  /** {@code s} or JSON null. */
  static Map<String, Object> nullable(Map<String, Object> s) {
    Object type = s.get("type");
    if (type instanceof String t && !s.containsKey("$ref")) {
      Map<String, Object> m = new LinkedHashMap<>(s);
      m.put("type", List.of(t, "null"));
      return m;
    }
    return Map.of("anyOf", List.of(s, Map.of("type", "null")));
  }

  /** An object with items: {@code {"items": [...]}}. */
  static Obj items(Map<String, Object> item) {
    return object().req("items", array(item));
  }

  static Obj object() {
    return new Obj();
  }

  /**
   * The schema of a request body record: its components in snake_case, those marked {@link
   * Required} listed as required, nested records described the same way, unknown fields refused
   * (the broker's JSON refuses them too).
   */
  static Map<String, Object> ofRecord(Class<?> type) {
    if (!type.isRecord()) {
      return any();
    }
    Obj o = object();
    for (RecordComponent c : type.getRecordComponents()) {
      Map<String, Object> s = ofType(c.getGenericType());
      if (c.isAnnotationPresent(Required.class)) {
        o.req(Json.snake(c.getName()), s);
      } else {
        o.opt(Json.snake(c.getName()), s);
      }
    }
    return o.build();
  }

  private static Map<String, Object> ofType(Type t) {
    if (t == String.class) {
      return string();
    } else if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
      return integer();
    } else if (t == boolean.class || t == Boolean.class) {
      return bool();
    } else if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
      return array(ofType(p.getActualTypeArguments()[0]));
    } else if (t instanceof ParameterizedType p && p.getRawType() == Map.class) {
      return Map.of("type", "object");
    } else if (t instanceof Class<?> c && c.isRecord()) {
      return ofRecord(c);
    }
    return any();
  }

  /** An object schema being declared. */
  static final class Obj {
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();
    private boolean open;
    private String description;

    /** A member always present. */
    Obj req(String name, Map<String, Object> schema) {
      properties.put(name, schema);
      required.add(name);
      return this;
    }

    /** A member always present, that may be null. */
    Obj nul(String name, Map<String, Object> schema) {
      return req(name, nullable(schema));
    }

    /** A member present only in some answers. */
    Obj opt(String name, Map<String, Object> schema) {
      properties.put(name, schema);
      return this;
    }

    /** Members beyond the declared ones may appear (RFC 9457 extension members, say). */
    Obj open() {
      this.open = true;
      return this;
    }

    Obj description(String text) {
      this.description = text;
      return this;
    }

    Map<String, Object> build() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "object");
      if (description != null) {
        m.put("description", description);
      }
      m.put("properties", properties);
      if (!required.isEmpty()) {
        m.put("required", List.copyOf(required));
      }
      if (!open) {
        m.put("additionalProperties", false);
      }
      return m;
    }
  }
}
