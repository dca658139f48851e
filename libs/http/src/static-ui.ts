import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The pages load nothing but their own files and call nothing but their own origin's API. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Pages change with each release and are tiny: revalidate rather than run a stale script.
  'Cache-Control': 'no-cache',
};

/**
 * Serves an app's static pages (HTML, CSS, plain ES modules: no build step, no CDN) at `/ui/`, outside the
 * API prefix. `/ui` redirects to `/ui/`, so the pages' relative URLs resolve under it.
 */
export function serveStaticUi(app: NestFastifyApplication, root: string): void {
  app.useStaticAssets({
    root,
    // Without the trailing slash, so that `redirect` sends /ui to /ui/.
    prefix: '/ui',
    index: ['index.html'],
    redirect: true,
    decorateReply: false,
    cacheControl: false,
    // @fastify/static 10 passes its reply here, although Nest's option type still describes a raw response.
    setHeaders: (res) => {
      const reply = res as unknown as { header(name: string, value: string): unknown };
      for (const [name, value] of Object.entries(PAGE_HEADERS)) reply.header(name, value);
    },
  });
}
