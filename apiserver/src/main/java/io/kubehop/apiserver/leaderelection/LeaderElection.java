package io.kubehop.apiserver.leaderelection;

import io.kubehop.apiserver.storage.StoreKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;

/**
 * How the apiservers sharing one etcd pick the one that runs the scheduler and the node lifecycle
 * controller: client-go's {@code LeaderElectionConfig}, with times shortened from upstream's 15 s
 * lease, 10 s renew deadline and 2 s retry so that a standby takes over within a few seconds of the
 * leader's death (at most lease + retry after the leader's last renewal).
 *
 * @param identity the Lease's {@code holderIdentity}: this apiserver's id ({@code --apiserver-id})
 * @param leaseDuration how long a standby waits, after it last saw the Lease change, before it
 *     takes the Lease over
 * @param renewDeadline how long a leader keeps leading while its renewals fail; shorter than the
 *     lease, so it stops before a standby may start
 * @param retryPeriod how often every candidate reads and, if it may, writes the Lease
 */
public record LeaderElection(
    String identity, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

  /** The scheduler's Lease, as kube-scheduler's. */
  public static final StoreKey SCHEDULER = new StoreKey("leases", "kube-system", "kube-scheduler");

  /** The node lifecycle controller's Lease, as kube-controller-manager's. */
  public static final StoreKey CONTROLLER_MANAGER =
      new StoreKey("leases", "kube-system", "kube-controller-manager");

  public LeaderElection {
    if (identity == null || identity.isEmpty()) {
      throw new IllegalArgumentException("a leader election needs an identity");
    }
    if (renewDeadline.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException("the renew deadline must be shorter than the lease");
    }
  }

  /** A 4 s lease, renewed every second, given up after 3 s without a renewal. */
  public static LeaderElection of(String identity) {
    return new LeaderElection(
        identity, Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(1));
  }

  /** Upstream's default identity: {@code <hostname>_<uuid>}. */
  public static String defaultIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "_" + UUID.randomUUID();
  }
}
