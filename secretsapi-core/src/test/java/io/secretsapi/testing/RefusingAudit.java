package io.secretsapi.testing;

import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;

/** Makes the store refuse every audit write (a trigger), to show that the broker fails closed. */
public final class RefusingAudit {
  private RefusingAudit() {}

  /** From now on, inserting an audit record fails in the database itself. */
  public static void install(Database db) {
    db.inTransaction(
        h -> {
          if (db.dialect() == Dialect.SQLITE) {
            h.execute(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_records"
                    + " BEGIN SELECT RAISE(ABORT, 'audit store refuses writes'); END");
          } else {
            h.execute(
                "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE EXCEPTION 'audit store refuses writes'; END $$");
            h.execute(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_records"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_audit()");
          }
          return null;
        });
  }

  /** Lets audit writes through again. */
  public static void remove(Database db) {
    db.inTransaction(
        h ->
            h.execute(
                "DROP TRIGGER refuse_audit"
                    + (db.dialect() == Dialect.POSTGRES ? " ON audit_records" : "")));
  }
}
