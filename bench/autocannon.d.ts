// The part of autocannon's programmatic API the benches use (the package
// ships no types, and @types/autocannon lags its majors).
declare module "autocannon" {
  export type Request = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called before each request is sent (and once when a connection is set up): what it returns is sent. */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
    /** Called with each response to this request, its body read whole. */
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
  };
  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    /** Requests per second across all connections (a steady rate rather than as fast as the server answers). */
    overallRate?: number;
    pipelining?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: Request[];
  };
  export type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number; p99_9: number };
  export type Result = {
    duration: number;
    errors: number;
    timeouts: number;
    resets: number;
    non2xx: number;
    "1xx": number;
    "2xx": number;
    "3xx": number;
    "4xx": number;
    "5xx": number;
    latency: Histogram;
    requests: Histogram & { total: number; sent: number };
  };
  export default function autocannon(options: Options): Promise<Result>;
}
