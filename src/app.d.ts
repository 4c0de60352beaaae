import type { Principal } from '$lib/shared/auth-types';

declare global {
	namespace App {
		interface Locals {
			principal: Principal | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
