package io.secretsapi.exposure;

import static java.util.Objects.requireNonNull;

import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a crossing does in the broker: {@code rotate} queues a rotation in the crossing's own
 * transaction (one rotation per crossing, committed with it or not at all); {@code incident} opens
 * an incident once the crossing committed. Either way the crossing is recorded ({@code
 * exposure.threshold}) naming what it queued or why it could not.
 */
public final class Respond implements ExposureActions {
  private static final Logger LOG = LoggerFactory.getLogger(Respond.class);

  /** Queues a rotation inside {@code h}; answers its {@code ROT-} id, or empty when it cannot. */
  @FunctionalInterface
  public interface Rotate {
    Optional<String> queue(Handle h, String secretId, String reason, String idempotencyKey);
  }

  /** Opens an incident on a secret; answers its {@code IN-} id. */
  @FunctionalInterface
  public interface Contain {
    String open(String secretId, String reason);
  }

  private final AuditLog audit;
  private final Rotate rotate;
  private final Contain contain;

  public Respond(AuditLog audit, Rotate rotate, Contain contain) {
    this.audit = requireNonNull(audit, "audit");
    this.rotate = requireNonNull(rotate, "rotate");
    this.contain = requireNonNull(contain, "contain");
  }

  @Override
  public String thresholdCrossed(Handle h, Crossing c) {
    String outcome;
    Optional<String> queued = Optional.empty();
    if (c.action().equals("rotate")) {
      queued = rotate.queue(h, c.secretId(), c.wording(), c.key());
      outcome =
          queued
              .map(id -> "rotation " + id + " queued")
              .orElse("no rotation queued: the secret has no rotator (PUT /secrets/{id}/rotation)");
    } else {
      outcome = "incident opening";
    }
    long offset =
        audit.append(
            h,
            AuditEntry.of(RecordCrossing.TYPE, RecordCrossing.ACTOR, "done")
                .secret(c.secretId())
                .subject(queued.orElse(null))
                .reason(c.wording() + " · " + outcome)
                .build());
    return queued.orElse(AuditLog.ref(offset));
  }

  @Override
  public void afterCommit(Crossing c) {
    if (!c.action().equals("incident")) {
      return;
    }
    try {
      String id = contain.open(c.secretId(), c.wording() + " (" + c.key() + ")");
      LOG.info("exposure crossing {} opened incident {}", c.key(), id);
    } catch (io.secretsapi.ConflictException e) {
      LOG.info("exposure crossing {}: {}", c.key(), e.getMessage()); // already contained
    }
  }
}
