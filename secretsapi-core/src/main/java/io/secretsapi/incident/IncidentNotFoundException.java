package io.secretsapi.incident;

import io.secretsapi.NotFoundException;

/** No incident with this id, or none the caller may see. */
public final class IncidentNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  IncidentNotFoundException(String id) {
    super("incident", id.length() > 40 ? "(malformed id)" : id);
  }
}
