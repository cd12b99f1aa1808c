package dev.herald.tap.internal;

import dev.herald.runtime.SelfAsSame;
import dev.herald.tap.RetryPolicy;
import dev.herald.tap.TapMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One tap: its bounded inbox (see {@link dev.herald.runtime.BoundedInbox}) and its workers, one for an
 * ordered tap, a resizable pool for a shared one. A message waits in the inbox until a worker is free;
 * a failed try waits its backoff on the same worker (so an ordered tap keeps publish order) and after
 * the last try goes to the dead letters. Owns nothing else.
 */
public final class TapActor extends AbstractBehavior<TapActor.Command> {

    public interface Command {}

    /** A message for the handler: the only kind the bounded inbox counts. */
    public record Deliver(TapMessage message) implements Command {}

    public record Resize(int workers) implements Command {}

    public enum Stop implements Command {
        INSTANCE
    }

    record WorkDone(ActorRef<TapWorker.Command> worker) implements Command {}

    record WorkFailed(ActorRef<TapWorker.Command> worker, TapWorker.Work work, String reason) implements Command {}

    private record RetryDue(ActorRef<TapWorker.Command> worker, TapWorker.Work work) implements Command {}

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final TapRuntime tap;
    private final RetryPolicy retry;
    private final DispatcherSelector dispatcher;
    private final List<ActorRef<TapWorker.Command>> workers = new ArrayList<>();
    private final ArrayDeque<ActorRef<TapWorker.Command>> idle = new ArrayDeque<>();
    private final Map<ActorRef<TapWorker.Command>, TapWorker.Work> assigned = new HashMap<>();
    /** Messages taken from the mailbox while every worker was busy; still counted in the inbox depth. */
    private final ArrayDeque<TapWorker.Work> waiting = new ArrayDeque<>();

    private int desired;
    private int spawned;

    static Behavior<Command> create(TapRuntime tap, DispatcherSelector dispatcher) {
        return Behaviors.setup(
                context -> Behaviors.withTimers(timers -> new TapActor(context, timers, tap, dispatcher)));
    }

    private TapActor(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            TapRuntime tap,
            DispatcherSelector dispatcher) {
        super(context);
        this.context = context;
        this.timers = timers;
        this.tap = tap;
        this.retry = tap.retry();
        this.dispatcher = dispatcher;
        resize(tap.initialWorkers());
    }

    @Override
    public Receive<Command> createReceive() {
        Receive<Command> handlers = newReceiveBuilder()
                .onMessage(Deliver.class, this::onDeliver)
                .onMessage(WorkDone.class, this::onWorkDone)
                .onMessage(WorkFailed.class, this::onWorkFailed)
                .onMessage(RetryDue.class, this::onRetryDue)
                .onMessage(Resize.class, resize -> {
                    resize(resize.workers());
                    return this;
                })
                .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                .onSignal(Terminated.class, this::onTerminated)
                .build();
        return new SelfAsSame<>(this, handlers);
    }

    private Behavior<Command> onDeliver(Deliver deliver) {
        TapWorker.Work work = new TapWorker.Work(deliver.message(), 1);
        ActorRef<TapWorker.Command> worker = idle.poll();
        if (worker != null) {
            assign(worker, work);
        } else {
            waiting.add(work);
            tap.inbox().keep();
        }
        return this;
    }

    private Behavior<Command> onWorkDone(WorkDone done) {
        assigned.remove(done.worker());
        free(done.worker());
        return this;
    }

    private Behavior<Command> onWorkFailed(WorkFailed failed) {
        tap.counters().failures.increment();
        ActorRef<TapWorker.Command> worker = failed.worker();
        TapWorker.Work work = failed.work();
        if (work.attempt() < retry.attempts()) {
            tap.counters().retries.increment();
            context.getLog()
                    .debug("Tap '{}' try {} failed ({}), trying again", tap.route(), work.attempt(), failed.reason());
            timers.startSingleTimer(worker, new RetryDue(worker, work.next()), retry.backoffBefore(work.attempt() + 1));
        } else {
            assigned.remove(worker);
            tap.deadLetter(work.message(), failed.reason(), work.attempt());
            free(worker);
        }
        return this;
    }

    private Behavior<Command> onRetryDue(RetryDue due) {
        if (workers.contains(due.worker())) {
            assign(due.worker(), due.work());
        }
        return this;
    }

    /** A worker stopped for good (an Error, not an Exception): its message goes to the next free worker. */
    private Behavior<Command> onTerminated(Terminated terminated) {
        ActorRef<TapWorker.Command> worker = terminated.getRef().unsafeUpcast();
        if (!workers.remove(worker)) {
            return this; // one we stopped
        }
        idle.remove(worker);
        timers.cancel(worker);
        tap.counters().failures.increment();
        TapWorker.Work work = assigned.remove(worker);
        if (work != null) {
            if (work.attempt() < retry.attempts()) {
                tap.counters().retries.increment();
                waiting.addFirst(work.next());
                tap.inbox().keep();
            } else {
                tap.deadLetter(work.message(), "worker stopped", work.attempt());
            }
        }
        context.getLog().warn("A worker of tap '{}' stopped; starting another", tap.route());
        resize(desired);
        return this;
    }

    private void assign(ActorRef<TapWorker.Command> worker, TapWorker.Work work) {
        assigned.put(worker, work);
        worker.tell(work);
    }

    /** A worker finished: it takes the next waiting message, or retires if the pool shrank. */
    private void free(ActorRef<TapWorker.Command> worker) {
        if (workers.size() > desired) {
            stop(worker);
            return;
        }
        TapWorker.Work next = waiting.poll();
        if (next != null) {
            tap.inbox().release();
            assign(worker, next);
        } else {
            idle.add(worker);
        }
    }

    private void resize(int size) {
        desired = size;
        while (workers.size() < desired) {
            ActorRef<TapWorker.Command> worker = context.spawn(
                    TapWorker.create(context.getSelf(), tap.handler(), tap.handlerTimeout(), tap.counters()),
                    "worker-" + (++spawned),
                    dispatcher);
            context.watch(worker);
            workers.add(worker);
            free(worker);
        }
        while (workers.size() > desired && !idle.isEmpty()) {
            stop(idle.poll());
        }
        tap.counters().workers.set(workers.size());
    }

    private void stop(ActorRef<TapWorker.Command> worker) {
        workers.remove(worker);
        context.stop(worker);
        tap.counters().workers.set(workers.size());
    }
}
