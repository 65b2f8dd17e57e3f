import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CreateTokenHandler } from './application/create-token.handler.js';
import { ListTokensHandler } from './application/list-tokens.handler.js';
import { RevokeTokenHandler } from './application/revoke-token.handler.js';
import { TokenAuthenticator } from './application/token-authenticator.js';

const commandHandlers = [CreateTokenHandler, RevokeTokenHandler];
const queryHandlers = [ListTokensHandler];
const services = [TokenAuthenticator];

/** API tokens: commands, queries, authentication. Storage adapters are bound by the StorageModule. */
@Module({
  imports: [CqrsModule],
  providers: [...commandHandlers, ...queryHandlers, ...services],
  exports: [TokenAuthenticator],
})
export class TokensModule {}
