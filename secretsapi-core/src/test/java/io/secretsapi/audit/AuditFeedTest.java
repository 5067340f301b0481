package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuditFeedTest {
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void next_consumerBehindTheBuffer_isToldItLaggedAndResumesFromTheStore(TestStore store)
      throws Exception {
    try (Broker b = Broker.start(store);
        AuditFeed feed = new AuditFeed(b.db(), 16)) {
      b.core().audit().onAppend(feed::nudge);
      feed.listen();
      long start = feed.head();
      for (int i = 0; i < 40; i++) {
        b.core().auditBroker().record(AuditEntry.of("test.event", "p", "done").build());
      }
      long end = start + 40;
      while (feed.next(end - 1, 10, 2_000).isEmpty()) {
        // wait for the tailer to reach the end
      }
      assertThatThrownBy(() -> feed.next(start, 10, 0))
          .isInstanceOf(AuditFeed.LaggedException.class)
          .hasMessageContaining("resume after offset " + start);
      List<Long> got = new ArrayList<>();
      long cursor = start;
      while (cursor < feed.oldestLive() - 1) {
        for (AuditEvent e : feed.page(cursor, 7)) {
          got.add(e.offset());
          cursor = e.offset();
        }
      }
      for (AuditEvent e : feed.next(cursor, 100, 0)) {
        got.add(e.offset());
      }
      assertThat(got).hasSize(40).doesNotHaveDuplicates().isSorted();
      assertThat(got.get(0)).isEqualTo(start + 1);
    }
  }
}
