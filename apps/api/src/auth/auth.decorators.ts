import { SetMetadata } from '@nestjs/common';
import type { TokenScope } from '../../../../libs/tokens/src/index.js';

export const PUBLIC_ROUTE = 'auth:public';
export const ADMIN_ROUTE = 'auth:admin';
export const REQUIRED_SCOPES = 'auth:scopes';

/** No credential needed (health, docs). Everything else is authenticated by default. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Back-office routes: the ADMIN_API_KEY and nothing else. */
export const AdminOnly = () => SetMetadata(ADMIN_ROUTE, true);

/** Token routes: the token must carry every listed scope (403 names the missing one). */
export const RequireScopes = (...scopes: TokenScope[]) => SetMetadata(REQUIRED_SCOPES, scopes);
