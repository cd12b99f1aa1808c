package dev.herald.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.BehaviorSignalInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An AbstractBehavior that returns itself, under an interceptor: with SelfAsSame the actor keeps one
 * behavior; without it Pekko wraps a new interceptor around it at every message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class SelfAsSameTest {

    record Add(int amount, ActorRef<Integer> replyTo) {}

    private static final class Counter extends AbstractBehavior<Add> {

        private final boolean selfAsSame;
        private int sum;

        Counter(ActorContext<Add> context, boolean selfAsSame) {
            super(context);
            this.selfAsSame = selfAsSame;
        }

        @Override
        public Receive<Add> createReceive() {
            Receive<Add> handlers = newReceiveBuilder()
                    .onMessage(Add.class, add -> {
                        sum += add.amount();
                        add.replyTo().tell(sum);
                        return this;
                    })
                    .build();
            return selfAsSame ? new SelfAsSame<>(this, handlers) : handlers;
        }
    }

    /** A counter behind an interceptor that only passes signals on (as a close-on-stop hook does). */
    private static Behavior<Add> intercepted(boolean selfAsSame) {
        return Behaviors.intercept(
                () -> new BehaviorSignalInterceptor<Add>() {
                    @Override
                    public Behavior<Add> aroundSignal(
                            TypedActorContext<Add> ctx, Signal signal, BehaviorInterceptor.SignalTarget<Add> target) {
                        return target.apply(ctx, signal);
                    }
                },
                Behaviors.setup(context -> new Counter(context, selfAsSame)));
    }

    @Test
    void theActorKeepsOneBehaviorAndItsState() {
        BehaviorTestKit<Add> actor = BehaviorTestKit.create(intercepted(true));
        TestInbox<Integer> sums = TestInbox.create();

        actor.run(new Add(1, sums.getRef()));
        Behavior<Add> afterFirst = actor.currentBehavior();
        actor.run(new Add(2, sums.getRef()));
        actor.run(new Add(3, sums.getRef()));

        assertThat(actor.currentBehavior()).isSameAs(afterFirst);
        assertThat(sums.getAllReceived()).containsExactly(1, 3, 6);
    }

    @Test
    void withoutItPekkoWrapsTheBehaviorAgainAtEveryMessage() {
        BehaviorTestKit<Add> actor = BehaviorTestKit.create(intercepted(false));
        TestInbox<Integer> sums = TestInbox.create();

        actor.run(new Add(1, sums.getRef()));
        Behavior<Add> afterFirst = actor.currentBehavior();
        actor.run(new Add(2, sums.getRef()));

        assertThat(actor.currentBehavior()).isNotSameAs(afterFirst);
        assertThat(sums.getAllReceived()).containsExactly(1, 3);
    }
}
