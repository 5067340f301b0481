package io.secretsapi.policy;

import java.util.List;

/** A parsed policy set: its id, description and rules, in order. */
public record PolicyDocument(String id, String description, List<Rule> rules) {}
