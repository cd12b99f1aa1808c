package dev.herald.server.admin.internal;

import dev.herald.cluster.HeraldCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * {@code GET /cluster}: the node's view of the cluster's membership, read from Pekko Cluster's state
 * when asked (no actor is involved), or {@code {"clustered":false}} on a node that is not clustered.
 */
public final class ClusterStatus {

    /** The body on a node that is not clustered. */
    public record NotClustered(boolean clustered) {}

    /**
     * The body on a cluster node: this node's address and status, the leader, the member the
     * BrokerActor (the cluster singleton) runs on, every member, and the addresses this node sees as
     * unreachable. {@code leader} and {@code brokerActor} are null while there is none.
     */
    public record Clustered(
            boolean clustered,
            String self,
            String selfStatus,
            String leader,
            String brokerActor,
            List<ClusterMember> members,
            List<String> unreachable) {}

    /** One member: address, status (Joining, WeaklyUp, Up, Leaving, Exiting, Down, Removed), roles. */
    public record ClusterMember(
            String address, String status, List<String> roles, boolean reachable, boolean brokerActor) {}

    private ClusterStatus() {}

    /** What {@code /cluster} answers for this system, read again at each request. */
    public static Supplier<Object> of(ActorSystem<?> system) {
        if (!HeraldCluster.isClustered(system)) {
            return () -> new NotClustered(false);
        }
        Cluster cluster = Cluster.get(system);
        return () -> view(cluster.selfMember(), cluster.state());
    }

    static Clustered view(Member self, CurrentClusterState state) {
        Set<Member> unreachable = state.getUnreachable();
        Member singleton = singletonHost(self, state);
        List<ClusterMember> members = new ArrayList<>();
        for (Member m : state.getMembers()) {
            members.add(new ClusterMember(
                    m.address().toString(),
                    m.status().toString(),
                    List.copyOf(new TreeSet<>(m.getRoles())),
                    !unreachable.contains(m),
                    singleton != null && singleton.equals(m)));
        }
        Address leader = state.getLeader();
        return new Clustered(
                true,
                self.address().toString(),
                self.status().toString(),
                leader == null ? null : leader.toString(),
                singleton == null ? null : singleton.address().toString(),
                members,
                unreachable.stream().map(m -> m.address().toString()).sorted().toList());
    }

    /**
     * Where a cluster singleton runs (Pekko's ClusterSingletonManager): on the oldest member of this
     * node's data center that is Up or Leaving; null while there is none.
     */
    static Member singletonHost(Member self, CurrentClusterState state) {
        Member oldest = null;
        for (Member m : state.getMembers()) {
            boolean candidate = (m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving())
                    && m.dataCenter().equals(self.dataCenter());
            if (candidate && (oldest == null || m.isOlderThan(oldest))) {
                oldest = m;
            }
        }
        return oldest;
    }
}
