package dev.sextant.inference.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchedulerTest {

    record Seq(String name, int promptTokens) implements Scheduler.Schedulable {
    }

    @Test
    void admitsInArrivalOrderWithinTheTokenBudgetAndFreeSlots() {
        Scheduler<Seq> s = new Scheduler<>(10, 100);
        s.offer(new Seq("a", 30));
        s.offer(new Seq("b", 30));
        s.offer(new Seq("c", 30));
        // 20 running rows spend 20 of the 100 tokens: a and b fit (60), c would make 90 > 80.
        assertThat(s.admit(8, 20)).extracting(Seq::name).containsExactly("a", "b");
        assertThat(s.admit(0, 20)).isEmpty();
        assertThat(s.admit(1, 20)).extracting(Seq::name).containsExactly("c");
    }

    @Test
    void aLongPromptIsNotOvertakenByShortOnes() {
        Scheduler<Seq> s = new Scheduler<>(10, 100);
        s.offer(new Seq("long", 90));
        s.offer(new Seq("short", 5));
        assertThat(s.admit(4, 20)).as("long does not fit next to 20 decodes; short must wait behind it").isEmpty();
        assertThat(s.admit(4, 5)).extracting(Seq::name).containsExactly("long", "short");
    }

    @Test
    void aPromptLargerThanTheWholeBudgetIsAdmittedAlone() {
        Scheduler<Seq> s = new Scheduler<>(10, 100);
        s.offer(new Seq("huge", 500));
        s.offer(new Seq("next", 5));
        assertThat(s.admit(4, 3)).extracting(Seq::name).containsExactly("huge");
        assertThat(s.admit(4, 3)).extracting(Seq::name).containsExactly("next");
    }

    @Test
    void theWaitingQueueIsBounded() {
        Scheduler<Seq> s = new Scheduler<>(2, 100);
        assertThat(s.offer(new Seq("a", 1))).isTrue();
        assertThat(s.offer(new Seq("b", 1))).isTrue();
        assertThat(s.offer(new Seq("c", 1))).isFalse();
        assertThat(s.removeWaitingIf(q -> q.name().equals("a"))).extracting(Seq::name).containsExactly("a");
        assertThat(s.offer(new Seq("c", 1))).isTrue();
        assertThat(s.drain()).extracting(Seq::name).containsExactly("b", "c");
    }
}
