package io.secretsapi.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Decides which network addresses the broker may call out to (webhooks, the proxy): never loopback,
 * private, link-local (which includes the cloud metadata address 169.254.169.254), carrier-grade
 * NAT, multicast, reserved or unspecified addresses, in IPv4 or IPv6, including IPv4 addresses
 * hidden in IPv6 (mapped, compatible, NAT64), unless a switch explicitly allows them.
 */
public final class AddressGuard {
  private AddressGuard() {}

  /** True when {@code a} is not a public unicast address. */
  public static boolean isInternal(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return internalV4(b);
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return true; // fc00::/7 unique local (fd00:ec2::254 is a metadata address)
      }
      if ((first == 0xfe) && ((b[1] & 0xc0) == 0xc0)) {
        return true; // fec0::/10 deprecated site-local
      }
      boolean zeros80 = allZero(b, 0, 10);
      if (zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        return internalV4(Arrays.copyOfRange(b, 12, 16)); // ::ffff:a.b.c.d
      }
      if (allZero(b, 0, 12)) {
        return true; // ::a.b.c.d (deprecated compatible), ::, ::1
      }
      if ((b[0] & 0xff) == 0x00
          && (b[1] & 0xff) == 0x64
          && (b[2] & 0xff) == 0xff
          && (b[3] & 0xff) == 0x9b
          && allZero(b, 4, 12)) {
        return internalV4(Arrays.copyOfRange(b, 12, 16)); // 64:ff9b::/96 NAT64
      }
      if ((b[0] & 0xff) == 0x20
          && (b[1] & 0xff) == 0x01
          && (b[2] & 0xff) == 0x0d
          && (b[3] & 0xff) == 0xb8) {
        return true; // 2001:db8::/32 documentation
      }
      return false;
    }
    return true;
  }

  private static boolean internalV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    return a0 == 0 // this network
        || a0 == 10
        || a0 == 127
        || (a0 == 100 && (a1 & 0xc0) == 64) // 100.64.0.0/10 carrier-grade NAT
        || (a0 == 169 && a1 == 254) // link-local, cloud metadata
        || (a0 == 172 && (a1 & 0xf0) == 16)
        || (a0 == 192 && a1 == 168)
        || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
        || (a0 == 198 && (a1 & 0xfe) == 18) // 198.18.0.0/15 benchmarking
        || a0 >= 224; // multicast, reserved, broadcast
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Resolves {@code host} and answers its addresses, refusing the whole name when any of them is
   * internal and {@code allowInternal} is false (a name with one public and one private address is
   * a rebinding trick, not a public host).
   *
   * @throws BlockedAddressException naming the host and why
   */
  public static List<InetAddress> resolve(String host, boolean allowInternal)
      throws BlockedAddressException {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new BlockedAddressException(host + " does not resolve");
    }
    if (!allowInternal) {
      for (InetAddress a : all) {
        if (isInternal(a)) {
          throw new BlockedAddressException(
              host
                  + " resolves to an internal address ("
                  + a.getHostAddress()
                  + "); only public addresses are allowed");
        }
      }
    }
    return List.of(all);
  }

  /** A destination the broker will not call. */
  public static final class BlockedAddressException extends Exception {
    public BlockedAddressException(String message) {
      super(message);
    }
  }
}
