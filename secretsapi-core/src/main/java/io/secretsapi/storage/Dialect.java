package io.secretsapi.storage;

/** The SQL databases the broker runs on. One set of migrations serves both. */
public enum Dialect {
  SQLITE,
  POSTGRES
}
