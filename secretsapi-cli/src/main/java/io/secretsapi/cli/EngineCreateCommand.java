package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi engine create NAME --service-account SA ...}: POST /engines. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create an engine run by a service account. Needs policies:write.")
final class EngineCreateCommand extends ApiCommand {
  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "Engine name, such as \"POD Engine Alpha\"")
  String name;

  @Option(
      names = "--service-account",
      required = true,
      paramLabel = "SA",
      description = "The service account its principals belong to (sa_...)")
  String serviceAccount;

  @Option(names = "--plan", defaultValue = "", description = "Plan, such as \"SaaS Growth Plan\"")
  String plan;

  @Option(
      names = "--placement",
      defaultValue = "",
      description = "Placement, such as prod-node-01; empty: Pending placement")
  String placement;

  @Option(names = "--slots-used", defaultValue = "0", description = "Slots in use")
  int slotsUsed;

  @Option(names = "--slots-total", defaultValue = "0", description = "Slots in all")
  int slotsTotal;

  @Option(
      names = "--frontend",
      defaultValue = "",
      description = "Frontend state, such as \"Live frontend\"")
  String frontend;

  @Option(
      names = "--admin",
      defaultValue = "",
      description = "Admin state, such as \"Governed admin\"")
  String admin;

  @Option(names = "--release", defaultValue = "", description = "The release it runs")
  String release;

  @Option(
      names = "--webhook",
      defaultValue = "",
      paramLabel = "WEBHOOK",
      description = "A webhook of the key's account (whk_...) its secrets' rotations go to")
  String webhook;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("plan", plan);
    body.put("placement", placement);
    body.put("slots_used", slotsUsed);
    body.put("slots_total", slotsTotal);
    body.put("frontend_state", frontend);
    body.put("admin_state", admin);
    body.put("release", release);
    body.put("service_account_id", serviceAccount);
    if (!webhook.isEmpty()) {
      body.put("webhook_id", webhook);
    }
    return show("POST", "/engines", body);
  }
}
