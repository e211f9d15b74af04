/**
 * One token refresh at a time per server. A request and the transport's event stream often get
 * their 401 together; each makes the SDK run `auth()`, and with rotating refresh tokens the
 * second refresh (same, now used-up refresh token) is refused, which would sign the user out.
 *
 * The SDK reads the stored tokens (with an issuer context) right before it refreshes; the provider
 * enters the gate there and leaves it when that flow ends (tokens saved, credentials dropped, or a
 * sign-in needed). The next flow then reads the fresh tokens. A flow that ends in an unexpected
 * way releases the gate after `maxHoldMs`.
 */
export class RefreshGate {
  private held: { done: Promise<void>; release(): void; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly maxHoldMs = 30_000) {}

  async enter(): Promise<void> {
    while (this.held) await this.held.done;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => this.leave(), this.maxHoldMs);
    timer.unref();
    this.held = { done, release, timer };
  }

  leave(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(held.timer);
    held.release();
  }
}
