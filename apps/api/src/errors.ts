import type { FastifyReply } from "fastify";

const jsonRpcCodes = {
  BAD_REQUEST: -32600,
  UNAUTHORIZED: -32001,
  FORBIDDEN: -32003,
  NOT_FOUND: -32004,
  PAYLOAD_TOO_LARGE: -32013,
  TOO_MANY_REQUESTS: -32029,
  INTERNAL_SERVER_ERROR: -32603,
} as const;
const statuses = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type HttpErrorCode = keyof typeof statuses;

/** A refusal made before tRPC runs, in tRPC's error envelope so every client parses it the same way. */
export function sendTrpcError(reply: FastifyReply, code: HttpErrorCode, message: string) {
  return reply
    .code(statuses[code])
    .type("application/json")
    .send({ error: { message, code: jsonRpcCodes[code], data: { code, httpStatus: statuses[code] } } });
}
