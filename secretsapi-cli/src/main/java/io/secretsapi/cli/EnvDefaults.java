package io.secretsapi.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Default values read from a given environment instead of the process's: an option whose default is
 * {@code ${env:NAME:-fallback}} takes {@code NAME} from the map, else the fallback.
 */
final class EnvDefaults implements IDefaultValueProvider {
  private static final Pattern ENV =
      Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?}");
  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    // the default as written, before picocli reads ${env:...} from the process environment
    String declared =
        arg.userObject() instanceof java.lang.reflect.Field f
                && f.getAnnotation(picocli.CommandLine.Option.class) != null
            ? f.getAnnotation(picocli.CommandLine.Option.class).defaultValue()
            : null;
    if (declared == null) {
      return null;
    }
    Matcher m = ENV.matcher(declared);
    if (!m.matches()) {
      return null; // not from the environment: the declared default applies
    }
    String v = env.get(m.group(1));
    return v != null ? v : m.group(2);
  }
}
