package io.secretsapi.policy;

import java.util.ArrayList;
import java.util.List;

/** A line diff by longest common subsequence; policy documents are small. */
final class LineDiff {
  private LineDiff() {}

  static List<String> diff(String a, String b) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    int[][] lcs = new int[x.length + 1][y.length + 1];
    for (int i = x.length - 1; i >= 0; i--) {
      for (int j = y.length - 1; j >= 0; j--) {
        lcs[i][j] =
            x[i].equals(y[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < x.length && j < y.length) {
      if (x[i].equals(y[j])) {
        out.add("  " + x[i++]);
        j++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        out.add("- " + x[i++]);
      } else {
        out.add("+ " + y[j++]);
      }
    }
    while (i < x.length) {
      out.add("- " + x[i++]);
    }
    while (j < y.length) {
      out.add("+ " + y[j++]);
    }
    return out;
  }
}
