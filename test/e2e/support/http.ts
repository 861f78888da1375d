import { apiHeaders, type ApiEndpoint } from '#local-infra';

/**
 * A thin HTTP client for the tests: every answer comes back with its status
 * and headers, since the status is as much a part of the API as the body.
 */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

/** `api` is the pipeline's api (or its url with another of its keys); paths are relative to /api/v1. */
export function apiClient(api: ApiEndpoint): ApiClient {
  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> => {
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: apiHeaders(api, body === undefined ? headers : { 'content-type': 'application/json', ...headers }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as T) : (undefined as T) };
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body, headers),
  };
}
