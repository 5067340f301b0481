package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The exposure replay's sparkline: the score history drawn on the whole 0..1 range. */
class ConsoleSparklineTest {

  @Test
  void of_threeSamples_oldestLeftHighestScoreNearTheTop() {
    Sparkline s = Sparkline.of(List.of(0.0, 0.5, 1.0), 0.8).orElseThrow();
    assertThat(s.points()).isEqualTo("0.0,63.0 240.0,32.0 480.0,1.0");
    assertThat(s.thresholdY()).isEqualTo("13.4");
    assertThat(s.label()).isEqualTo("score 0.00 to 1.00 over 3 samples, threshold 0.80");
  }

  @Test
  void of_oneSample_noLine() {
    assertThat(Sparkline.of(List.of(0.4), 0.8)).isEmpty();
  }
}
