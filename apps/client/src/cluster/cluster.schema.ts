import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class WorkerResponse {
  @ApiProperty({ example: 'worker-1' })
  id!: string;

  @ApiPropertyOptional()
  host?: string;

  @ApiPropertyOptional()
  pid?: number;

  @ApiProperty({ description: 'Tasks it runs at once at most' })
  concurrency!: number;

  @ApiProperty({ description: 'Tasks it holds beyond its concurrency, waiting for a slot' })
  prefetch!: number;

  @ApiProperty({ type: [String], description: 'Task types it takes ("*": any)' })
  types!: string[];

  @ApiProperty({ type: [String], description: 'Ids of the tasks assigned to it or running on it' })
  running!: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When it registered' })
  since?: string;

  @ApiProperty({ description: 'Shutting down: finishing its tasks, taking no new ones' })
  draining!: boolean;
}

export class MasterCandidateResponse {
  @ApiProperty({ example: 'master-1' })
  id!: string;

  @ApiProperty({ description: 'Its election znode' })
  node!: string;

  @ApiPropertyOptional()
  host?: string;

  @ApiPropertyOptional()
  pid?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  since?: string;
}

export class MastersResponse {
  @ApiProperty({ type: String, nullable: true, description: 'The leading master, if any' })
  leader!: string | null;

  @ApiProperty({ type: [MasterCandidateResponse], description: 'In election order: first leads' })
  candidates!: MasterCandidateResponse[];
}
