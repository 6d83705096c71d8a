import { SetMetadata } from '@nestjs/common';

/** Route metadata: the token may also come as `?access_token=` (see ApiTokenGuard). */
export const QUERY_TOKEN_ALLOWED = 'shepherd:query-token-allowed';

/**
 * For EventSource, which cannot send headers: this route also takes the API token as
 * `?access_token=` (RFC 6750 section 2.3). Only the event stream needs it; a token in a URL
 * ends up in logs and histories, so no other route accepts one.
 */
export const AcceptsQueryToken = () => SetMetadata(QUERY_TOKEN_ALLOWED, true);
