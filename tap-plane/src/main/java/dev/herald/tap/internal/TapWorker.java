package dev.herald.tap.internal;

import dev.herald.runtime.SelfAsSame;
import dev.herald.tap.TapMessage;
import dev.herald.tap.TapReply;
import dev.herald.tap.TapRequest;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Runs a tap's handler on one message at a time, as its {@link TapActor} hands them out. A try that
 * fails (the handler throws, its stage fails, its behavior answers failed or not in time) fails the
 * worker: supervision restarts it afresh, and on the way it tells the TapActor what failed and why.
 */
final class TapWorker extends AbstractBehavior<TapWorker.Command> {

    interface Command {}

    /** Try {@code attempt} (1 for the first) of a message. */
    record Work(TapMessage message, int attempt) implements Command {
        Work next() {
            return new Work(message, attempt + 1);
        }
    }

    private record Completed(long seq, Throwable failure) implements Command {}

    private record TimedOut(long seq) implements Command {}

    private record Replied(TapReply reply) implements Command {}

    /** Thrown to fail the worker when a try failed; supervision restarts it. */
    static final class TryFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TryFailed(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Object TIMEOUT = "timeout";

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ActorRef<TapActor.Command> tap;
    private final Handler handler;
    private final Duration timeout;
    private final TapCounters counters;
    private final ActorRef<TapRequest> behavior;
    private final ActorRef<TapReply> replies;
    private Work current;
    private long seq;
    private String failure;

    static Behavior<Command> create(
            ActorRef<TapActor.Command> tap, Handler handler, Duration timeout, TapCounters counters) {
        return Behaviors.supervise(Behaviors.<Command>setup(context -> Behaviors.<Command>withTimers(
                        timers -> new TapWorker(context, timers, tap, handler, timeout, counters))))
                .onFailure(Exception.class, SupervisorStrategy.restart().withLoggingEnabled(false));
    }

    private TapWorker(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            ActorRef<TapActor.Command> tap,
            Handler handler,
            Duration timeout,
            TapCounters counters) {
        super(context);
        this.context = context;
        this.timers = timers;
        this.tap = tap;
        this.handler = handler;
        this.timeout = timeout;
        this.counters = counters;
        if (handler instanceof Handler.Actor actor) {
            this.behavior = context.spawnAnonymous(actor.behavior());
            context.watch(behavior);
            this.replies = context.messageAdapter(TapReply.class, Replied::new);
        } else {
            this.behavior = null;
            this.replies = null;
        }
    }

    @Override
    public Receive<Command> createReceive() {
        Receive<Command> handlers = newReceiveBuilder()
                .onMessage(Work.class, this::onWork)
                .onMessage(Completed.class, this::onCompleted)
                .onMessage(Replied.class, this::onReplied)
                .onMessage(TimedOut.class, this::onTimedOut)
                .onSignal(ChildFailed.class, failed -> fail("handler behavior failed: " + describe(failed.cause())))
                .onSignal(Terminated.class, stopped -> fail("handler behavior stopped"))
                .onSignal(PreRestart.class, signal -> onPreRestart())
                .build();
        return new SelfAsSame<>(this, handlers);
    }

    private Behavior<Command> onWork(Work work) {
        current = work;
        failure = null;
        long mine = ++seq;
        TapMessage message = work.message();
        try {
            if (handler instanceof Handler.Sync sync) {
                sync.handler().handle(message, message.params());
                return succeeded();
            } else if (handler instanceof Handler.Async async) {
                CompletionStage<?> stage = async.handler().handle(message, message.params());
                if (stage == null) {
                    return succeeded();
                }
                context.pipeToSelf(stage, (value, error) -> new Completed(mine, error));
            } else {
                behavior.tell(new TapRequest(message, replies));
            }
        } catch (Exception e) {
            return fail(describe(e));
        }
        timers.startSingleTimer(TIMEOUT, new TimedOut(mine), timeout);
        return this;
    }

    private Behavior<Command> onCompleted(Completed completed) {
        if (current == null || completed.seq() != seq) {
            return this; // a stage of a try that already timed out
        }
        return completed.failure() == null ? succeeded() : fail(describe(completed.failure()));
    }

    private Behavior<Command> onReplied(Replied replied) {
        if (current == null) {
            return this;
        }
        return replied.reply() instanceof TapReply.Failed failed ? fail(failed.reason()) : succeeded();
    }

    private Behavior<Command> onTimedOut(TimedOut timedOut) {
        if (current == null || timedOut.seq() != seq) {
            return this;
        }
        return fail("no answer within " + timeout);
    }

    private Behavior<Command> succeeded() {
        timers.cancel(TIMEOUT);
        current = null;
        counters.delivered.increment();
        tap.tell(new TapActor.WorkDone(context.getSelf()));
        return this;
    }

    private Behavior<Command> fail(String reason) {
        failure = reason;
        throw new TryFailed(reason);
    }

    private Behavior<Command> onPreRestart() {
        counters.workerRestarts.increment();
        if (current != null) {
            tap.tell(new TapActor.WorkFailed(context.getSelf(), current, failure != null ? failure : "worker failed"));
        }
        return this;
    }

    static String describe(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof java.util.concurrent.CompletionException
                        || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null
                ? cause.getClass().getName()
                : cause.getClass().getName() + ": " + cause.getMessage();
    }
}
