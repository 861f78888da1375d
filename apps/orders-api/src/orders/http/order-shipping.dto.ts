import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Where the parcel goes, as the order shows it (requests are validated by shippingAddressRequest). */
export class ShippingAddressDto {
  @ApiProperty({ example: '1 Harbour Road', description: 'Street and number' })
  line1: string;

  @ApiPropertyOptional({ type: String, example: 'Unit 4', description: 'Flat, floor, building, care of; absent when not given' })
  line2?: string;

  @ApiProperty({ example: 'Rotterdam' })
  city: string;

  @ApiProperty({ example: '3011 AB' })
  postalCode: string;

  @ApiProperty({ example: 'NL', description: 'ISO 3166-1 alpha-2 code' })
  country: string;
}

/** Who receives the parcel and where, as given when the order was placed (requests are validated by shippingRequest). */
export class ShippingDto {
  @ApiProperty({ example: 'Ann Example', description: 'The recipient, as on the parcel' })
  name: string;

  @ApiPropertyOptional({ type: String, format: 'email', example: 'ann@example.com', description: 'Absent when not given' })
  email?: string;

  @ApiProperty({ type: ShippingAddressDto })
  address: ShippingAddressDto;
}
