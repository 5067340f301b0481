package io.secretsapi.testing;

import io.secretsapi.storage.StoreUrl;

/** The two databases every store and HTTP test runs against. */
public enum TestStore {
  SQLITE,
  POSTGRES;

  /** A fresh, empty database of this kind: a new SQLite file, or a new PostgreSQL database. */
  public StoreUrl fresh() {
    return StoreUrl.parse(freshUrl());
  }

  /** The URL of a fresh database, in the form the configuration takes. */
  public String freshUrl() {
    return this == SQLITE ? TestDatabases.freshSqlite() : TestDatabases.freshPostgres();
  }
}
