package io.secretsapi.policy;

import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.secretsapi.ValidationException;
import java.util.Map;

/**
 * Compiles and runs the CEL conditions of policy rules. A condition sees four maps: {@code
 * request}, {@code principal}, {@code secret} and {@code attestation}, and must yield a bool.
 * Compilation happens when a policy is written, so a broken condition never reaches the gate.
 * Thread-safe.
 */
final class CelConditions {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .addVar("request", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("principal", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("secret", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("attestation", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .setResultType(SimpleType.BOOL)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private CelConditions() {}

  /** A compiled condition; {@code field} names it in errors. */
  static CelRuntime.Program compile(String field, String expression) {
    if (expression.length() > 4096) {
      throw new ValidationException(
          field, "max_length", field + " must be at most 4096 characters");
    }
    CelValidationResult result = COMPILER.compile(expression);
    if (result.hasError()) {
      throw new ValidationException(
          field,
          "cel",
          field + " is not a valid CEL bool expression: " + firstLine(result.getErrorString()));
    }
    try {
      return RUNTIME.createProgram(result.getAst());
    } catch (CelValidationException | CelEvaluationException e) {
      throw new ValidationException(
          field, "cel", field + " cannot be planned: " + firstLine(e.getMessage()));
    }
  }

  /** Runs a condition; an error, or a result that is not a bool, is reported as an exception. */
  static boolean eval(CelRuntime.Program program, Map<String, ?> vars)
      throws CelEvaluationException {
    Object out = program.eval(vars);
    if (out instanceof Boolean b) {
      return b;
    }
    throw new IllegalStateException(
        "condition yielded " + (out == null ? "null" : out.getClass().getSimpleName()));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
