export class ListTokensQuery {
  constructor(
    readonly workspaceId: string,
    readonly limit: number,
    readonly cursor: string | undefined,
    readonly includeRevoked: boolean,
  ) {}
}
